"""Support-community themes (illness-specific and general) and the room layout of a community."""

# (name, slug, description); the first three are the real app's test communities.
ILLNESS_COMMUNITIES = (
    ("ADHD Support", "adhd-support",
     "For adults and parents living with ADHD: focus strategies, routines, and understanding."),
    ("Anxiety Support", "anxiety-support",
     "A calm space to talk about worry, panic and social anxiety, and what helps."),
    ("Depression Support", "depression-support",
     "Support for low days and long seasons. You are not alone here."),
    ("Bipolar Support", "bipolar-support",
     "Living with bipolar disorder: mood tracking, medication, relationships and stability."),
    ("PTSD & Trauma Recovery", "ptsd-trauma-recovery",
     "Trauma-informed peer support for survivors, at your own pace."),
    ("OCD Support", "ocd-support",
     "Intrusive thoughts, compulsions and ERP: share experiences without judgment."),
    ("Eating Disorder Recovery", "eating-disorder-recovery",
     "Recovery-focused support; no numbers, no diet talk."),
    ("Insomnia & Sleep", "insomnia-sleep",
     "For the 3 a.m. thinkers: sleep hygiene, CBT-I and gentle company."),
    ("Panic Disorder Support", "panic-disorder-support",
     "Understanding panic attacks and building confidence again."),
    ("Social Anxiety Circle", "social-anxiety-circle",
     "Small steps toward connection, celebrated together."),
    ("Postpartum Support", "postpartum-support",
     "For new parents facing postpartum depression or anxiety."),
    ("Borderline Personality Support", "bpd-support",
     "DBT skills, emotional regulation and compassionate peers."),
    ("Substance Use Recovery", "substance-use-recovery",
     "One day at a time: recovery stories, triggers and support."),
    ("Chronic Stress & Burnout", "burnout-recovery",
     "When work or caregiving drains you: recovery and boundaries."),
    ("Health Anxiety Support", "health-anxiety-support",
     "For when every symptom feels like an emergency."),
)

GENERAL_COMMUNITIES = (
    ("Grief & Loss", "grief-and-loss",
     "A gentle place to remember the people we have lost and to grieve together."),
    ("Self-Care Corner", "self-care-corner",
     "Small habits, rest, and being kind to yourself."),
    ("Student Mental Health", "student-mental-health",
     "Exams, deadlines, homesickness and everything in between."),
    ("Workplace Wellbeing", "workplace-wellbeing",
     "Stress at work, difficult bosses, career changes and balance."),
    ("Mindfulness & Meditation", "mindfulness-meditation",
     "Practices, guided exercises and reflections for a quieter mind."),
    ("LGBTQIA+ Support", "lgbtqia-support",
     "An affirming space for identity, family and belonging."),
    ("Relationships & Family", "relationships-family",
     "Boundaries, communication, and healing family patterns."),
    ("Caregivers Circle", "caregivers-circle",
     "For those caring for someone else, and needing care too."),
)

# Who a further circle of a theme is for (then a city, see communities.circle_name).
CIRCLE_GROUPS = (
    "Night Owls", "Young Adults", "Working Parents", "Students", "Weekend Group",
    "Women's Group", "Men's Group", "Over 40s", "Healthcare Workers", "Newcomers",
    "OFW Families", "Morning Group",
)

ILLUSTRATIONS = ("calm-waves", "sunrise", "forest-path", "open-hands", "lanterns", "mountains",
                 "garden", "harbor")

# (room group name, ((room name, posting role), ...))
ROOM_LAYOUT = (
    ("Welcome", (("Introductions", "member"), ("Announcements", "moderator"))),
    ("Support", (("General Discussion", "member"), ("Daily Check-ins", "member"),
                 ("Wins & Progress", "member"))),
    ("Resources", (("Helpful Resources", "moderator"), ("Ask a Therapist", "member"))),
)
