"""Payment methods people in the Philippines use for therapy sessions, and payment failures."""

# (type, weight): e-wallets first, as most Filipino clients pay that way.
METHOD_TYPES = (("GCASH", 34), ("CARD", 30), ("MAYA", 16), ("BANK_ACCOUNT", 10),
                ("INSURANCE", 10))

# (brand, first digits of the masked number, card type)
CARD_BRANDS = (("Visa", "4", "credit"), ("Visa", "4", "debit"), ("Mastercard", "5", "credit"),
               ("Mastercard", "5", "debit"), ("JCB", "35", "credit"),
               ("American Express", "37", "credit"))
CARD_ISSUERS = ("BPI", "BDO", "Metrobank", "Security Bank", "RCBC", "UnionBank", "EastWest")

# (bank, BRSTN routing code)
BANKS = (("BDO Unibank", "010530667"), ("Bank of the Philippine Islands", "010040018"),
         ("Metrobank", "010269996"), ("Landbank of the Philippines", "010350025"),
         ("Security Bank", "010140015"), ("UnionBank of the Philippines", "010419995"),
         ("China Bank", "010100013"), ("PNB", "010080010"))

# (provider, sessions covered a year, co-pay in pesos)
INSURERS = (("Maxicare", 12, 500), ("Intellicare", 10, 300), ("MediCard", 8, 0),
            ("PhilCare", 12, 250), ("Cocolife", 6, 400), ("Pacific Cross", 10, 350))

FAILURE_REASONS = (
    "Card declined by the issuing bank",
    "Insufficient funds",
    "GCash authentication timed out",
    "Maya payment was not authorised in the app",
    "3-D Secure verification failed",
    "Card expired",
    "Daily transaction limit reached",
    "Network error while contacting the payment gateway",
)

NICKNAMES = {
    "CARD": ("My {brand}", "{issuer} {brand}", "Everyday card", None),
    "GCASH": ("GCash", "My GCash", None),
    "MAYA": ("Maya", "Maya wallet", None),
    "BANK_ACCOUNT": ("{bank} savings", "Payroll account", None),
    "INSURANCE": ("{insurer} HMO", "Company HMO", None),
}
