"""One-to-one therapy sessions: titles, descriptions, SOAP-style session notes and reviews.

Notes stay general and tasteful: themes, skills and plans, never crisis or self-harm detail.
"""

FIRST_SESSION_TITLE = "Initial consultation"

SESSION_TITLES = (
    "Weekly session",
    "Follow-up session",
    "CBT session: noticing unhelpful thoughts",
    "CBT session: balanced thinking",
    "Progress review",
    "Coping skills practice",
    "Mindfulness and grounding",
    "Sleep and routine check-in",
    "Goal-setting session",
    "Relapse prevention planning",
    "Worksheet review",
    "Stress management session",
    "Values and direction",
    "Check-in session",
)

SESSION_DESCRIPTIONS = (
    None,
    None,
    "Review of the past week and this week's worksheet.",
    "Continue work on identifying and reframing automatic thoughts.",
    "Practise grounding and breathing skills for stressful moments.",
    "Look back at progress toward treatment goals and adjust them.",
    "Discuss sleep diary and agree on one routine change.",
    "Explore values and plan small, meaningful activities.",
    "Check in on mood, energy and workload.",
)

# SOAP notes by what the session was about: a note keeps to one theme (its subjective,
# assessment and plan belong together) and takes one line of each part from it; objective lines
# come from the theme's own or the general ones.
SOAP_THEMES: tuple[dict[str, tuple[str, ...]], ...] = (
    {  # work stress
        "subjective": (
            "Client reports a busier week at work and more evening worry, but managed two "
            "planned walks.",
            "Client describes deadlines piling up and checking email late at night.",
            "Client says a difficult conversation with their manager went better than feared.",
        ),
        "objective": ("Appeared tired but attentive; brought a list of this week's tasks.",),
        "assessment": (
            "Stress is situational and linked to workload; problem-solving skills would help.",
            "Worry is driven by workload and perfectionism; avoidance of email is reducing.",
            "Coping well under pressure; boundaries around work hours are still fragile.",
        ),
        "plan": (
            "Assign the problem-solving worksheet; follow up on the work conversation.",
            "Agree a switch-off time for work messages; review how it went next session.",
            "Break the largest task into three steps and schedule the first one.",
        ),
    },
    {  # sleep
        "subjective": (
            "Client describes improved sleep on most nights and fewer racing thoughts before "
            "bed.",
            "Client reports steady mood, some fatigue, and difficulty keeping a regular "
            "wake-up time.",
            "Client reports waking around 3 a.m. on weeknights but falling back asleep faster.",
        ),
        "objective": ("Calm presentation; brought the sleep diary with nine nights logged.",),
        "assessment": (
            "Sleep improving with routine changes; worry remains the main maintaining factor.",
            "Irregular wake-up times keep the sleep problem going; motivation to change is "
            "good.",
            "Sleep efficiency is improving; evening screen use still delays sleep onset.",
        ),
        "plan": (
            "Keep the sleep diary; agree a consistent wake-up time including weekends.",
            "Phone out of the bedroom for a week; review the sleep diary next session.",
            "Continue getting up after twenty minutes awake; add a wind-down routine.",
        ),
    },
    {  # low mood
        "subjective": (
            "Client reports feeling low mid-week after a family disagreement; mood lifted by "
            "the weekend.",
            "Client describes low energy and staying in bed on the weekend.",
            "Client reports enjoying a walk with a friend for the first time in weeks.",
        ),
        "objective": ("Tearful briefly when discussing family, then settled; good eye contact "
                      "on video.",),
        "assessment": (
            "Mood remains reactive to interpersonal stress; skills are emerging but not yet "
            "consistent.",
            "Low mood maintained by withdrawal; small activities are lifting it.",
            "Gradual progress toward goals; activity levels are increasing.",
        ),
        "plan": (
            "Schedule two pleasant activities this week and rate mood before and after.",
            "Continue activity scheduling; plan one contact with a friend.",
            "Review the week's mood ratings together and look for patterns.",
        ),
    },
    {  # anxiety
        "subjective": (
            "Client says the breathing exercise helped during a tense meeting and wants to "
            "keep using it.",
            "Client reports two panic episodes on the commute; rode out the second one.",
            "Client describes worrying about their health most evenings this week.",
        ),
        "objective": ("Engaged throughout; practised box breathing in session with visible "
                      "relaxation.",),
        "assessment": (
            "Gradual progress toward goals; avoidance is decreasing and coping skills are "
            "being used independently.",
            "Anxiety is maintained by avoidance and reassurance seeking.",
            "Good understanding of the anxiety cycle; ready for graded exposure.",
        ),
        "plan": (
            "Practise grounding daily; review the values card sort next session.",
            "Build an exposure ladder together; start with the lowest step.",
            "Worry time for fifteen minutes each evening; note what happens.",
        ),
    },
    {  # thinking patterns
        "subjective": (
            "Client reports procrastinating on assignments and feeling guilty about it.",
            "Client noticed harsh self-talk after a small mistake at work.",
            "Client reports catching an 'all or nothing' thought and questioning it.",
        ),
        "objective": ("Appeared tired but attentive; completed the thought record with three "
                      "entries.",),
        "assessment": (
            "Good insight into thinking patterns; ready to move from monitoring to "
            "restructuring.",
            "Self-critical thinking is the main maintaining factor; insight is growing.",
            "Uses thought records with support; alternative thoughts still feel unconvincing.",
        ),
        "plan": (
            "Continue thought records; introduce behavioural experiments next session.",
            "Practise the self-compassion exercise after setbacks this week.",
            "Test one prediction with a small behavioural experiment.",
        ),
    },
    {  # social life
        "subjective": (
            "Client shares that social plans felt less daunting this week; attended a friend's "
            "birthday.",
            "Client reports skipping a team lunch and replaying a conversation afterwards.",
            "Client describes speaking up once in a group meeting.",
        ),
        "objective": ("Engaged and punctual; affect congruent, speech normal in rate and "
                      "tone.",),
        "assessment": (
            "Social confidence building; safety behaviours are reducing.",
            "Post-event rumination keeps social anxiety going; avoidance is decreasing.",
            "Gradual progress toward goals; more willing to accept invitations.",
        ),
        "plan": (
            "Attend one social event without safety behaviours; note predictions first.",
            "Practise shifting attention outward in conversations this week.",
            "Meet again next week; consider moving to fortnightly sessions if progress holds.",
        ),
    },
    {  # grief
        "subjective": (
            "Client describes ongoing grief on anniversaries and finds journaling helpful.",
            "Client reports sorting through a parent's belongings and feeling both sad and "
            "relieved.",
            "Client shares a memory of their grandmother and laughed while telling it.",
        ),
        "objective": ("Tearful at times, able to reflect; warm rapport.",),
        "assessment": (
            "Grief is following a natural course; support from family is a strength.",
            "Avoidance of reminders is easing; guilt remains the hardest part.",
            "Symptoms stable; motivation good. No safety concerns raised.",
        ),
        "plan": (
            "Continue journaling; plan for the coming anniversary together.",
            "Write a letter to the person who died; bring it next session if comfortable.",
            "Meet again in two weeks; keep one regular routine with family.",
        ),
    },
)
GENERAL_OBJECTIVE = (
    "Engaged and punctual; affect congruent, speech normal in rate and tone.",
    "Alert and reflective; PHQ-9 and GAD-7 repeated, scores lower than at intake.",
    "Settled quickly; good eye contact on video.",
)

# Review titles by rating (the order and counts are what the reviews' own draws index).
REVIEW_TITLES = {
    5: ("Felt truly heard", "Life-changing support", "Very professional", "Grateful",
        "Excellent listener"),
    4: ("Helpful sessions", "Making progress", "Kind and knowledgeable", "Good fit"),
    3: ("Okay so far", "Mixed feelings"),
    2: ("Not quite the right fit",),
    1: ("Not for me",),
}

# Review texts are composed: how the therapist is, what helped, what changed, and a closing
# (positive ratings); how it went and why it did not fit (low ones). Kind, plausible, never
# identifying. {name} is the therapist's first name.
REVIEW_HOW = (
    "Warm, patient and practical.", "{name} is a wonderful listener.",
    "I was nervous about starting therapy online, but it felt comfortable from the first "
    "session.", "Never rushed, always respectful.", "Easy to talk to from the very first call.",
    "Kind, calm and very clear.", "{name} made it feel safe to say things I had never said "
    "out loud.", "Sessions feel structured without feeling rigid.",
    "{name} remembers the small details I mention, week after week.",
    "Gentle but honest when I needed to hear something hard.",
    "Explains things in a way that actually makes sense to me.",
    "Respectful of my pace and of my family situation.",
    "Down to earth, with a good sense of humour when I needed it.",
    "Very professional, and still warm.",
)
REVIEW_HELPED = (
    "The grounding exercises helped me get through a rough week at work.",
    "The thought records finally made my worry cycle make sense.",
    "Small, realistic steps got my sleep back on track.",
    "The breathing practice is now part of my commute.",
    "The homework was practical and never overwhelming.",
    "We worked on boundaries with my family, and it shows.",
    "I learned to notice my triggers before they snowball.",
    "The weekly worksheets kept me honest with myself.",
    "Planning one pleasant activity a day sounded silly and really worked.",
    "Writing down the 'evidence for and against' changed how I read my own thoughts.",
    "Practising what to say before hard conversations made them much easier.",
    "Learning to sit with the urge instead of acting on it was a turning point.",
    "The values exercise helped me decide what to let go of.",
    "Tracking my mood showed me patterns I had never noticed.",
    "We broke my panic down into steps, and each one feels smaller now.",
    "Having a plan for the 3 a.m. thoughts made the nights shorter.",
)
REVIEW_CHANGED = (
    "I leave every session with something I can use during the week.",
    "I'm seeing small changes already.", "My partner noticed the difference before I did.",
    "I feel more like myself again.", "Work feels manageable again.",
    "I finally understand what my anxiety is trying to tell me.",
    "I am kinder to myself on the bad days.", "I can say no without a week of guilt.",
    "I went back to the gym after months away.",
    "I called my mother without dreading it for the first time in years.",
    "Mornings are not a battle anymore.", "I sleep through most nights now.",
)
REVIEW_CLOSINGS = {
    5: ("Highly recommend.", "Salamat po, Doc {name}!", "Thank you for everything.",
        "Grateful I found this.", "I would recommend {name} to anyone who is hesitating.",
        "Ten out of ten.", ""),
    4: ("Sometimes the video connection dropped, but the sessions themselves were great.",
        "I would like slightly longer sessions.", "Scheduling took some back and forth.",
        "The first two sessions felt a little slow.",
        "I wish evening slots were easier to get.", "Recommended."),
}
REVIEW_MIXED = (
    "Helpful ideas, though I'm still getting used to the approach.",
    "Kind therapist, but scheduling was a bit difficult for me.",
    "Some sessions helped a lot, others felt repetitive.",
    "{name} is kind, but I think I need a more direct style.",
    "The techniques make sense; I just have not found the energy to practise them yet.",
    "Good listener, but the homework felt like a lot on top of work.",
)
REVIEW_MIXED_NEXT = (
    "Will keep going for a few more sessions.", "I'll give it another month.",
    "Still hopeful it will click.", "We agreed to adjust the plan, so we'll see.",
)
REVIEW_LOW = (
    "Professional and polite, but the approach did not suit what I was looking for.",
    "The sessions did not work out for me.",
    "We never quite found a rhythm.",
    "I needed more structure than the sessions gave me.",
    "The timing was hard for me, and I missed too many sessions to make progress.",
    "I felt we kept talking around the problem instead of working on it.",
)
REVIEW_LOW_NEXT = (
    "I have decided to look for a different approach.",
    "No hard feelings; it just was not the right fit.",
    "I may try again later with a different therapist.",
    "Thank you for the time anyway.",
)
