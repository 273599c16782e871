"""The Mentara database as SQLAlchemy Core tables and enums, named as in the real app's database."""
