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

# SOAP note parts; a note takes one line from each.
SUBJECTIVE = (
    "Client reports a busier week at work and more evening worry, but managed two planned "
    "walks.",
    "Client describes improved sleep on most nights and fewer racing thoughts before bed.",
    "Client reports feeling low mid-week after a family disagreement; mood lifted by the "
    "weekend.",
    "Client says the breathing exercise helped during a tense meeting and wants to keep using "
    "it.",
    "Client reports procrastinating on assignments and feeling guilty about it.",
    "Client shares that social plans felt less daunting this week; attended a friend's "
    "birthday.",
    "Client reports steady mood, some fatigue, and difficulty keeping a regular wake-up time.",
    "Client describes ongoing grief on anniversaries and finds journaling helpful.",
)

OBJECTIVE = (
    "Engaged and punctual; affect congruent, speech normal in rate and tone.",
    "Appeared tired but attentive; completed the thought record with three entries.",
    "Calm presentation; brought the sleep diary with nine nights logged.",
    "Tearful briefly when discussing family, then settled; good eye contact on video.",
    "Alert and reflective; PHQ-9 and GAD-7 repeated, scores lower than at intake.",
    "Engaged throughout; practised box breathing in session with visible relaxation.",
)

ASSESSMENT = (
    "Gradual progress toward goals; avoidance is decreasing and coping skills are being used "
    "independently.",
    "Mood remains reactive to interpersonal stress; skills are emerging but not yet consistent.",
    "Sleep improving with routine changes; worry remains the main maintaining factor.",
    "Good insight into thinking patterns; ready to move from monitoring to restructuring.",
    "Symptoms stable; motivation good. No safety concerns raised.",
    "Stress is situational and linked to workload; problem-solving skills would help.",
)

PLAN = (
    "Continue thought records; introduce behavioural experiments next session.",
    "Keep the sleep diary; agree a consistent wake-up time including weekends.",
    "Schedule two pleasant activities this week and rate mood before and after.",
    "Practise grounding daily; review the values card sort next session.",
    "Assign the problem-solving worksheet; follow up on the work conversation.",
    "Meet again next week; consider moving to fortnightly sessions if progress holds.",
)

# Review (title, content) by rating. Kind, plausible, never identifying.
REVIEWS = {
    5: (
        ("Felt truly heard", "Warm, patient and practical. I leave every session with something "
                             "I can actually use during the week."),
        ("Life-changing support", "I was nervous about starting therapy online, but it felt "
                                  "comfortable from the first session. Highly recommend."),
        ("Very professional", "Clear explanations of CBT and kind follow-up on my worksheets. "
                              "I finally understand my worry cycle."),
        ("Grateful", "Helped me get my sleep back on track with small, realistic steps."),
        ("Excellent listener", "Never rushed, always respectful. The grounding exercises helped "
                               "me at work."),
    ),
    4: (
        ("Helpful sessions", "Good techniques and a safe space to talk. Sometimes the video "
                             "connection dropped, but the sessions themselves were great."),
        ("Making progress", "Practical homework and thoughtful feedback. I'm seeing small "
                            "changes already."),
        ("Kind and knowledgeable", "Explained things in a way that made sense to me. Would "
                                   "like slightly longer sessions."),
        ("Good fit", "Easy to talk to and respectful of my pace."),
    ),
    3: (
        ("Okay so far", "Helpful ideas, though I'm still getting used to the approach. Will "
                        "keep going for a few more sessions."),
        ("Mixed feelings", "Kind therapist, but scheduling was a bit difficult for me."),
    ),
    2: (
        ("Not quite the right fit", "Professional and polite, but the approach did not suit "
                                    "what I was looking for."),
    ),
    1: (
        ("Not for me", "The sessions did not work out for me; I have decided to look for a "
                       "different approach."),
    ),
}
