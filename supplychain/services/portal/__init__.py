"""The supplier portal: its own reads and writes, invitations, files kept across a refused form."""
