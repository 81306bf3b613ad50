"""What every area uses: the audit log, attachments, optimistic locking, accounts, backup, caches."""
