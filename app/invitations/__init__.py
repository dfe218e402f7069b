"""Invitations to a role: created by an admin or operator, redeemed by a deep link or ``DAFTAR <code>``."""
