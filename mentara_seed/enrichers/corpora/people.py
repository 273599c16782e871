"""Names, places and profile text for users."""

FIRST_NAMES = (
    "Maya", "Liam", "Andrea", "Paolo", "Bea", "Miguel", "Sofia", "Gabriel", "Isabel", "Rafael",
    "Camille", "Joshua", "Patricia", "Carlo", "Nicole", "Enzo", "Kristine", "Marco", "Angela",
    "Daniel", "Jasmine", "Luis", "Trisha", "Adrian", "Bianca", "Nathan", "Clarisse", "Javier",
    "Aisha", "Kenji", "Priya", "Noah", "Hana", "Samuel", "Leah", "Diego", "Amara", "Elijah",
    "Chloe", "Mateo", "Yasmin", "Ethan", "Mei", "Tomas", "Grace", "Omar", "Lucia", "Ryan",
    "Alyssa", "Jared", "Ines", "Victor", "Elena", "Marcus", "Zoe", "Julian", "Nadia", "Oscar",
)

LAST_NAMES = (
    "Chen", "Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Torres", "Flores",
    "Villanueva", "Ramos", "Aquino", "Castillo", "Navarro", "Dela Cruz", "Gonzales", "Lim",
    "Tan", "Rivera", "Morales", "Pascual", "Salazar", "Domingo", "Fernandez", "Ocampo",
    "Nakamura", "Patel", "Okafor", "Kim", "Nguyen", "Haddad", "Silva", "Novak", "Andersen",
    "Kowalski", "Murphy", "Rossi", "Dubois", "Schmidt", "Ibrahim", "Costa", "Yamamoto",
)

# The fixed test accounts dev_<role>_1..3: ordinary names (none of the generated ones), the same
# for every project seed, so a demo reads naturally and a developer knows who they log in as.
FIXED_NAMES = {
    "client": (("Ligaya", "Manalo"), ("Rico", "Samonte"), ("Dana", "Lualhati")),
    "therapist": (("Teresa", "Jimenez"), ("Alfredo", "Pineda"), ("Marites", "Lagman")),
    "admin": (("Corazon", "Tolentino"), ("Edgar", "Magbanua"), ("Rowena", "Villareal")),
    "moderator": (("Jolina", "Ferrer"), ("Ronaldo", "Estrada"), ("Kaye", "Alcantara")),
}

CITIES = (
    ("Quezon City", "Metro Manila"), ("Makati", "Metro Manila"), ("Pasig", "Metro Manila"),
    ("Taguig", "Metro Manila"), ("Manila", "Metro Manila"), ("Cebu City", "Cebu"),
    ("Davao City", "Davao del Sur"), ("Iloilo City", "Iloilo"), ("Baguio", "Benguet"),
    ("Bacolod", "Negros Occidental"), ("Cagayan de Oro", "Misamis Oriental"),
    ("Antipolo", "Rizal"), ("Dumaguete", "Negros Oriental"), ("Lipa", "Batangas"),
)

STREETS = (
    "Mabini St.", "Rizal Ave.", "Katipunan Ave.", "Aurora Blvd.", "Osmeña Blvd.",
    "Roxas Blvd.", "Bonifacio St.", "Luna St.", "Del Pilar St.", "Magsaysay Ave.",
)

CLIENT_BIOS = (
    "Learning to be kinder to myself, one day at a time.",
    "Grad student juggling deadlines and trying to sleep more.",
    "New parent figuring out this whole balance thing.",
    "Working on boundaries at work and at home.",
    "Here to listen as much as to share.",
    "Coffee, long walks, and slowly unlearning perfectionism.",
    None,
    None,
)

THERAPIST_BIOS = (
    "I help adults navigate anxiety and life transitions with warmth and practical tools.",
    "Licensed psychologist focused on mood disorders, grief and family systems.",
    "I work with young adults on stress, identity and relationships using CBT and ACT.",
    "Trauma-informed counselor; I believe healing happens in safe, steady relationships.",
    "I support people living with ADHD to build routines that fit the way their minds work.",
    "Guidance counselor turned therapist, passionate about accessible mental health care.",
)

PROVIDER_TYPES = ("Clinical Psychologist", "Psychiatrist", "Registered Guidance Counselor",
                  "Licensed Professional Counselor", "Psychometrician")
LICENSE_TYPES = ("RPsy", "RGC", "MD (Psychiatry)", "RPm")
EXPERTISE = ("Anxiety", "Depression", "Grief and Loss", "ADHD", "Trauma and PTSD",
             "Relationship Issues", "Stress Management", "Bipolar Disorder", "OCD",
             "Eating Disorders", "Self-Esteem", "Sleep Problems", "Burnout")
APPROACHES = ("Cognitive Behavioral Therapy", "Acceptance and Commitment Therapy",
              "Dialectical Behavior Therapy", "Psychodynamic Therapy", "Mindfulness-Based Therapy",
              "Solution-Focused Brief Therapy", "EMDR", "Person-Centered Therapy")
ASSESSMENT_TOOLS = ("PHQ-9", "GAD-7", "PCL-5", "ASRS", "DASS-21", "AUDIT", "ISI")
LANGUAGES = ("English", "Filipino", "Cebuano", "Ilocano", "Hiligaynon", "Mandarin", "Spanish")
INSURANCE = ("Maxicare", "Intellicare", "MediCard", "PhilCare", "Cocolife")
EDUCATION = (
    "MA Clinical Psychology, University of the Philippines Diliman",
    "PhD Counseling Psychology, Ateneo de Manila University",
    "MS Psychology, De La Salle University",
    "MD, Psychiatry residency at Philippine General Hospital",
    "MA Guidance and Counseling, University of Santo Tomas",
)
ADMIN_PERMISSIONS = ("users:read", "users:write", "therapists:approve", "communities:manage",
                     "reports:review", "payments:read", "analytics:read")
MODERATOR_PERMISSIONS = ("posts:moderate", "comments:moderate", "reports:review",
                         "users:warn", "users:suspend")
