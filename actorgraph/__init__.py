"""actorgraph: a knowledge graph of the actors in health-policy documents."""

__version__ = "0.1.0"
