"""mentara-seed: a Terraform-style plan/apply seeder for the Mentara database."""

__version__ = "0.1.0"
