"""Charts: a frozen spec in, an SVG file out; drawn in parallel and cached by content."""
