"""e-Warong agents (added in chat or imported) and the TKSK's monitoring visits by the "6 T"."""
