"""Evidence: paper-proof cards and the domain-fit lab."""
