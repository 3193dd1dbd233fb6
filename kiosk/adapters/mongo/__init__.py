"""The clinic group's central MongoDB (pymongo): collections named after the seed's models."""
