public enum PeerLensCLIPlaceholder {}
