"""Daily work: dashboard, inbox, notifications, bulk supplier actions, second approvals, list exports."""
