"""The AI intake chat (Auris): prompts, paraphrased screening questions, answers by scale value,
and the insights it records. Questions are conversational paraphrases, not the instruments'
published wording; keys are the pre-assessment's questionnaire keys."""

SYSTEM_PROMPT = (
    "You are Auris, Mentara's intake assistant. Ask one short screening question at a time, "
    "in plain and warm language, and record the answer on the questionnaire's scale. You do "
    "not diagnose. If the person mentions being in danger, share the crisis hotlines and "
    "suggest reaching a professional right away."
)

GREETINGS = (
    "Hi {name}, I'm Auris. I'll ask a few questions about how you've been lately so we can "
    "match you with the right support. There are no wrong answers.",
    "Hello {name}! Thanks for taking a few minutes for this. I'll go one question at a time, "
    "and you can answer in your own words.",
    "Hi {name}, welcome to Mentara. This check-in takes about ten minutes. Answer however "
    "feels natural and I'll take care of the scoring.",
)
FOLLOWUP_GREETINGS = (
    "Welcome back, {name}. Let's do a quick check-in on how the past two weeks have been.",
    "Hi again {name}! A short follow-up today, just a handful of questions.",
)

INTROS = {
    "Anxiety": "First, some questions about worry and nerves over the last two weeks.",
    "Depression Secondary": "Next, a few questions about your mood and energy in the last two "
                            "weeks.",
    "Stress": "Now let's talk about stress over the past month.",
    "Insomnia": "A few questions about your sleep over the last two weeks.",
    "Panic": "Some questions about sudden waves of fear or panic in the past week.",
}

QUESTIONS = {
    "Anxiety": (
        "How often have you felt nervous, anxious, or on edge?",
        "How often have you found it hard to stop or control worrying?",
        "How often have you been worrying too much about different things?",
        "How often has it been hard to relax?",
        "How often have you felt so restless that sitting still was difficult?",
        "How often have you been easily annoyed or irritable?",
        "How often have you felt afraid, as if something bad might happen?",
    ),
    "Depression Secondary": (
        "How often have you had little interest or pleasure in doing things?",
        "How often have you felt down or hopeless?",
        "How often have you had trouble sleeping, or slept much more than usual?",
        "How often have you felt tired or low on energy?",
        "How often has your appetite been poor, or have you been overeating?",
        "How often have you felt bad about yourself, or like you've let people down?",
        "How often has it been hard to concentrate, for example on reading or a show?",
        "How often have you been moving or speaking noticeably slower, or been very restless?",
        "This one we ask everyone: have thoughts of hurting yourself come up at all?",
    ),
    "Stress": (
        "How often have you been upset by something that happened unexpectedly?",
        "How often have you felt unable to control the important things in your life?",
        "How often have you felt nervous and stressed?",
        "How often have you felt unsure you could handle your personal problems?",
        "How often have you felt that things were not going your way?",
        "How often have you felt you couldn't keep up with everything you had to do?",
        "How often have you found it hard to manage irritations in your life?",
        "How often have you felt you were not on top of things?",
        "How often have you been angered by things outside your control?",
        "How often have difficulties piled up so high you couldn't overcome them?",
    ),
    "Insomnia": (
        "How much trouble have you had falling asleep?",
        "How much trouble have you had staying asleep through the night?",
        "How much of a problem is waking up too early and not getting back to sleep?",
        "How dissatisfied are you with your sleep pattern right now?",
        "How noticeable to other people do you think your sleep problem is?",
        "How worried or distressed are you about your sleep?",
        "How much does poor sleep get in the way of your day, like work, mood or focus?",
    ),
    "Panic": (
        "How often did you have panic attacks or sudden rushes of fear?",
        "When they happened, how intense and distressing were they?",
        "How much did you worry about the next one coming?",
        "How much did you avoid places or situations because of that fear?",
        "How much did you avoid activities that raise your heart rate, like exercise?",
        "How much did panic get in the way of work or school?",
        "How much did it affect your social life and time with family?",
    ),
}

# Which answer scale each chat questionnaire uses: value -> natural replies.
SCALE = {"Anxiety": "two-weeks", "Depression Secondary": "two-weeks", "Stress": "frequency",
         "Insomnia": "severity", "Panic": "severity"}
ANSWERS = {
    "two-weeks": (
        ("Not at all.", "No, not really.", "Hmm, no, that hasn't been an issue."),
        ("Several days, I guess.", "Some days, yes.", "A few days, mostly when work piles up."),
        ("More than half the days, honestly.", "Pretty often, most days.",
         "More often than not."),
        ("Nearly every day.", "Almost every day, yes.", "Honestly, every day lately."),
    ),
    "frequency": (
        ("Never.", "No, never."),
        ("Almost never.", "Rarely."),
        ("Sometimes.", "Now and then, yes."),
        ("Fairly often.", "Quite often, to be honest."),
        ("Very often.", "All the time lately."),
    ),
    "severity": (
        ("Not at all.", "None, really."),
        ("A little.", "Mildly."),
        ("Somewhat. It's noticeable.", "Moderately."),
        ("Quite a lot.", "It's been pretty bad."),
        ("Very much. It's severe.", "Extremely, it's hard to deal with."),
    ),
}
SELF_HARM_REPLY = ("No, none of that.", "No, not at all.")

ACKNOWLEDGEMENTS = ("Thank you.", "Got it.", "Thanks for sharing that.", "I understand.",
                    "Okay, noted.", "That makes sense.")

CLOSINGS = (
    "Thank you, {name}. That's everything for now. I've saved your answers, and your summary "
    "will help us suggest therapists who fit what you're going through.",
    "We're done, {name}. Thank you for being open. You'll see your results and therapist "
    "recommendations on your dashboard.",
    "That's all the questions. Thanks, {name}! Take a breath; you did something good for "
    "yourself today.",
)

# What the chat noted, by intake archetype: (primary concerns, themes, emotional tone).
INSIGHTS = {
    "mostly-mild": (["everyday stress"], ["work-life balance", "self-care"], "calm"),
    "mixed-anxiety-depression": (["low mood", "worry"], ["motivation", "sleep", "work"],
                                 "subdued"),
    "anxiety-dominant": (["persistent worry", "panic episodes"],
                         ["uncertainty", "physical tension", "avoidance"], "anxious"),
    "severe-depression": (["low mood", "loss of interest"], ["fatigue", "isolation", "sleep"],
                          "flat"),
    "stress-burnout": (["work stress", "exhaustion"], ["workload", "boundaries", "rest"],
                       "tired"),
    "trauma": (["distressing memories"], ["safety", "sleep", "hypervigilance"], "guarded"),
    "attention": (["focus and organization"], ["deadlines", "routines", "self-criticism"],
                  "frustrated"),
    "sleep": (["poor sleep"], ["racing thoughts at night", "daytime fatigue"], "tired"),
    "social-anxiety": (["social anxiety"], ["meeting new people", "self-consciousness"],
                       "hesitant"),
    "eating": (["eating patterns"], ["stress eating", "body image"], "reflective"),
    "alcohol": (["drinking habits"], ["coping with stress", "social drinking"], "reflective"),
    "obsessive": (["intrusive thoughts", "checking habits"], ["control", "reassurance"],
                  "anxious"),
}

# The pre-assessment's background questions (jsonb columns), answered at intake.
PRIOR_THERAPY = (
    {"hasPriorTherapy": False},
    {"hasPriorTherapy": False, "note": "Talked to a guidance counselor in college"},
    {"hasPriorTherapy": True, "format": "in-person", "duration": "a few sessions",
     "helpful": True},
    {"hasPriorTherapy": True, "format": "online", "duration": "about six months",
     "helpful": True},
    {"hasPriorTherapy": True, "format": "in-person", "duration": "two sessions",
     "helpful": False, "note": "Did not feel a good fit with the therapist"},
)
MEDICATION = (
    {"currentlyTaking": False},
    {"currentlyTaking": False},
    {"currentlyTaking": False, "pastUse": True, "note": "Stopped with the doctor's guidance"},
    {"currentlyTaking": True, "prescribedBy": "psychiatrist", "note": "Stable for a year"},
)
FAMILY_SUPPORT = (
    {"livesWith": "parents", "supportLevel": "strong"},
    {"livesWith": "parents and siblings", "supportLevel": "some"},
    {"livesWith": "partner", "supportLevel": "strong"},
    {"livesWith": "own family", "supportLevel": "some"},
    {"livesWith": "roommates", "supportLevel": "limited", "note": "Family is in the province"},
    {"livesWith": "alone", "supportLevel": "limited", "note": "Close friends nearby"},
    {"livesWith": "relatives", "supportLevel": "some", "note": "A parent works abroad"},
)
CULTURAL = (
    {"preferredLanguage": "English", "faithImportant": False},
    {"preferredLanguage": "Filipino", "faithImportant": True},
    {"preferredLanguage": "Taglish", "faithImportant": False},
    {"preferredLanguage": "Cebuano", "faithImportant": True},
    {"preferredLanguage": "Filipino", "faithImportant": False,
     "note": "Prefers not to involve family in sessions"},
)
ACCESSIBILITY = (
    None, None, None, None,
    {"needs": ["captions during video sessions"]},
    {"needs": ["sessions outside office hours"], "note": "Works a night shift"},
)

# aiEstimate vocabulary, by questionnaire key (the app's risk factors and approaches).
RISK_FACTORS = {
    "Stress": "chronic_stress", "Anxiety": "generalized_anxiety",
    "Depression": "social_withdrawal", "Depression Secondary": "low_mood",
    "Drug Issues": "substance_dependency", "Insomnia": "sleep_disorders",
    "Panic": "panic_attacks", "Bipolar disorder (BD)": "mood_instability",
    "Obsessive compulsive disorder (OCD)": "intrusive_thoughts",
    "Post-traumatic stress disorder (PTSD)": "trauma_response",
    "Social anxiety": "avoidance_behaviors", "Burnout": "work_burnout",
    "Binge eating / Eating disorders": "eating_dysregulation",
    "ADD / ADHD": "attention_deficits", "Substance or Alcohol Use Issues": "addiction_risk",
}
APPROACHES = {
    "Stress": "stress_management", "Anxiety": "cognitive_behavioral_therapy",
    "Depression": "behavioral_activation", "Depression Secondary": "cognitive_behavioral_therapy",
    "Drug Issues": "substance_use_counseling", "Insomnia": "cbt_for_insomnia",
    "Panic": "exposure_therapy", "Bipolar disorder (BD)": "psychiatric_consultation",
    "Obsessive compulsive disorder (OCD)": "exposure_and_response_prevention",
    "Post-traumatic stress disorder (PTSD)": "trauma_focused_therapy",
    "Social anxiety": "exposure_therapy", "Burnout": "mindfulness_practice",
    "Binge eating / Eating disorders": "nutritional_counseling",
    "ADD / ADHD": "adhd_coaching", "Substance or Alcohol Use Issues": "support_group",
}
