// Statistics layer.
