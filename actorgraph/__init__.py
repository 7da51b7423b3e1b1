"""actorgraph: a knowledge graph of actors, organisations and initiatives in health-policy documents."""

__version__ = "0.1.0"
