"""gaoxin: the management platform of a high-tech industrial development zone."""
