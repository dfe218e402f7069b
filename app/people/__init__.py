"""People and the channel identities they write from."""
