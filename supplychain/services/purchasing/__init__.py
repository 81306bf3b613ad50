"""Purchasing data: spend and receipt batches and the figures computed from them."""
