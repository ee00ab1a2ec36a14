import PeerLensCLI

PeerLensCommand.main()
