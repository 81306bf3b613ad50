"""Supplier and supply-chain ESG due diligence."""
