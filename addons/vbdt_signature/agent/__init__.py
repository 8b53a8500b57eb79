"""The reference signing agent (plain Python, run on the signer's computer)."""
