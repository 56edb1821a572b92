"""Data layer: read the company's files, validate them, and resolve figures."""
