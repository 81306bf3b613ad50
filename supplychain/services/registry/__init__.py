"""The supplier registry and the group: suppliers, checks, blacklist, relationships, organisations."""
