"""Therapist-matching preferences: the value sets the app's schema lists, with how common each
answer is, and the free-text special considerations clients write."""

# (value, weight): the value sets from client-preferences.prisma's comments.
GENDER = (("no-preference", 45), ("female", 35), ("male", 15), ("non-binary", 5))
AGE = (("no-preference", 50), ("older", 25), ("similar", 20), ("younger", 5))
SESSION_FORMAT = (("video", 55), ("no-preference", 20), ("in-person", 15), ("phone", 10))
SESSION_FREQUENCY = (("weekly", 40), ("bi-weekly", 35), ("as-needed", 15), ("monthly", 10))
BUDGET = (("100-150", 30), ("under-100", 25), ("150-200", 20), ("insurance", 15),
          ("200-plus", 10))
AVAILABILITY = ("morning", "afternoon", "evening", "weekends", "weekdays")

# Regional languages spoken where a client lives (English and Filipino are offered to all).
REGIONAL_LANGUAGE = {"Cebu City": "Cebuano", "Davao City": "Cebuano", "Dumaguete": "Cebuano",
                     "Cagayan de Oro": "Cebuano", "Iloilo City": "Hiligaynon",
                     "Bacolod": "Hiligaynon", "Baguio": "Ilocano"}

SPECIAL_CONSIDERATIONS = (
    "Works night shift at a BPO; early-morning or late-evening sessions only.",
    "First time in therapy and a little nervous; would like a gentle start.",
    "Would appreciate a therapist who is LGBTQIA+-affirming.",
    "Prefers a faith-sensitive approach.",
    "Parent of a toddler; sessions need to fit around nap times.",
    "A parent works abroad (OFW); family separation is part of what I want to talk about.",
    "University student; sessions after 5 p.m. on weekdays work best.",
    "Prefers a therapist who can switch between English and Filipino.",
    "Hard-of-hearing in one ear; video with captions preferred.",
    "Would like to focus on practical tools more than talking about the past.",
)
