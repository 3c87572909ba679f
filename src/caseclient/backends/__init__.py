"""Document services behind one protocol (`protocol.DocumentService`), one module each."""
