"""Slides: for each kind of slide, the context its template renders (formatted text only)."""
