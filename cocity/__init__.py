"""Co-City: the platform for the shared administration of urban commons."""
