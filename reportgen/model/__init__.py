"""Model: resolve figures (stored, or derived from periods and identities) and measures."""
