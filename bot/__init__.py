"""synbot service and command line: I/O at the edges around the pure ``synonyms`` library."""
