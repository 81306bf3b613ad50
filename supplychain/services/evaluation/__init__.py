"""Evaluations: schemes, periods, facts, approvals, bulk work, lifecycle, scorecards and their exports."""
