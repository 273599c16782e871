"""Therapist-led group sessions in communities, by theme (chosen from the community's slug)."""

# (slug keywords, ((title, description), ...)); the first theme whose keyword is in the slug
# wins, "general" when none is.
THEMES = (
    (("anxiety", "panic", "health-anxiety"), (
        ("Calming the Anxious Mind", "A guided group on recognising the worry cycle and "
                                     "practising grounding and breathing skills together."),
        ("Facing Fears, Step by Step", "How gradual exposure works, with time to plan one small "
                                       "step in a supportive group."),
        ("Panic: Understanding the Body's Alarm", "What happens in the body during panic and "
                                                  "how to ride the wave."),
        ("Worry Time Workshop", "Learn to postpone and contain worry, with practice between "
                                "sessions."),
    )),
    (("depression", "postpartum", "bipolar", "mood"), (
        ("Small Steps: Behavioural Activation", "Planning small, doable activities that bring "
                                                "back a sense of pleasure and mastery."),
        ("Kindness Toward Yourself", "Self-compassion practices for low days, in a gentle group "
                                     "setting."),
        ("Tracking Mood and Energy", "Using a simple daily tracker to notice patterns and "
                                     "early warning signs."),
        ("Routines That Hold You Up", "Building sleep, meal and movement routines that support "
                                      "a steadier mood."),
    )),
    (("adhd",), (
        ("Focus and Routines for Adult ADHD", "Practical strategies for planning, time "
                                              "blindness and getting started."),
        ("ADHD and Emotions", "Understanding frustration and rejection sensitivity, and what "
                              "helps."),
        ("Body Doubling Work Session", "A facilitated, supportive session to start the tasks "
                                       "you have been putting off."),
    )),
    (("stress", "burnout", "workplace"), (
        ("Recovering from Burnout", "Recognising burnout, setting boundaries and planning "
                                    "recovery time."),
        ("Stress Skills Lab", "Quick, evidence-based techniques for stressful days at work and "
                              "home."),
        ("Saying No Without Guilt", "Assertive communication practice in a small group."),
    )),
    (("sleep", "insomnia"), (
        ("Better Sleep with CBT-I", "An introduction to CBT for insomnia: sleep windows, "
                                    "stimulus control and winding down."),
        ("Quieting the 3 a.m. Mind", "Techniques for racing thoughts at night."),
    )),
    (("trauma", "ptsd"), (
        ("Safety and Stabilisation", "A trauma-informed group on grounding and feeling safe in "
                                     "the present, at your own pace."),
        ("Understanding Triggers", "Gentle psychoeducation on trauma responses and coping "
                                   "skills. No sharing of details required."),
    )),
    (("grief", "loss"), (
        ("Grief Circle", "A facilitated space to remember loved ones and share what grief is "
                         "like for you."),
        ("Living with Loss", "Coping with anniversaries, holidays and the waves of grief."),
    )),
    (("general",), (
        ("Mindfulness for Everyday Life", "Short guided practices and discussion on bringing "
                                          "attention back to the present."),
        ("Building Healthy Coping Skills", "A toolkit of skills for difficult emotions, "
                                           "practised together."),
        ("Self-Care That Actually Fits", "Planning realistic self-care for busy lives."),
        ("Connection and Belonging", "Exploring loneliness and ways to build supportive "
                                     "relationships."),
    )),
)

VENUES = (
    ("Mentara Wellness Center", "3F Wellness Hub, 27 Katipunan Ave., Quezon City"),
    ("Mentara Wellness Center – Makati", "12F Ayala Tower, 6750 Ayala Ave., Makati"),
    ("Mentara Wellness Center – Cebu", "2F IT Park Tower, Lahug, Cebu City"),
)

CANCELLATION_REASONS = (
    "The facilitating therapist is unwell; the session will be rescheduled.",
    "Too few participants registered; please join the next session.",
    "Cancelled because of a typhoon warning in the area. Stay safe.",
    "The venue is unavailable on this date; we will announce a new schedule soon.",
)

INVITATION_MESSAGES = (
    "Would you like to co-facilitate this group with me?",
    "I'd love your help running this session; your experience would be valuable.",
    "Inviting you as co-facilitator. Let me know if the schedule works for you.",
    None,
)
