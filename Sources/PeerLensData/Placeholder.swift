// Data layer.
