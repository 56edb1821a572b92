"""reportgen: investor-relations results decks from validated figures."""

__version__ = "0.1.0"
