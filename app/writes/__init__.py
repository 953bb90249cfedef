"""Write mechanics shared by every writable resource: written once, used by each feature."""
