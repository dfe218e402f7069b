"""Lawful data (UU 27/2022): retention, a person's export and erasure, and the keys derived from the secret."""
