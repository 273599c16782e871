"""Therapy worksheets (homework a therapist assigns between sessions) and therapist feedback."""

# (title, instructions, template file slug or None). Each worksheet is one assignment; the
# template, when there is one, is attached as material.
WORKSHEETS = (
    ("Thought Record",
     "When you notice a strong emotion this week, pause and write down the situation, the "
     "automatic thought, the emotion (0-100%), the evidence for and against the thought, and a "
     "more balanced alternative. Aim for three entries before our next session.",
     "thought-record"),
    ("Gratitude Journal",
     "Each evening, write three things you are grateful for today, however small, and one line "
     "about why each mattered. Notice whether your mood shifts over the week.",
     "gratitude-journal"),
    ("Sleep Diary",
     "Every morning, note the time you went to bed, roughly how long it took to fall asleep, "
     "night awakenings, your wake-up time and how rested you feel (1-5). Bring two weeks of "
     "entries so we can look for patterns together.",
     "sleep-diary"),
    ("Behavioural Activation Plan",
     "List ten activities that used to give you a sense of pleasure or achievement. Rate each "
     "for difficulty, then schedule two easy ones on specific days this week and record how you "
     "felt before and after.",
     "activity-schedule"),
    ("Grounding 5-4-3-2-1",
     "Practise the 5-4-3-2-1 grounding exercise once a day and whenever you feel overwhelmed: "
     "name five things you see, four you can touch, three you hear, two you smell and one you "
     "taste. Note the situation and your distress level before and after.",
     None),
    ("Values Card Sort",
     "Sort the value cards into 'very important', 'important' and 'not important to me'. Pick "
     "your top five and, for each, write one small action this week that would move you toward "
     "it.",
     "values-cards"),
    ("Worry Time Log",
     "Set aside fifteen minutes at the same time each day as your worry time. When a worry shows "
     "up outside it, jot it down and postpone it. During worry time, review the list and mark "
     "which worries are still relevant.",
     "worry-log"),
    ("Cognitive Distortions Check",
     "Read the list of common thinking traps. For three upsetting moments this week, write down "
     "the thought and circle the traps it falls into, then try a kinder, more accurate way of "
     "putting it.",
     "thinking-traps"),
    ("Self-Compassion Letter",
     "Write a short letter to yourself about a difficulty you are facing, as a caring friend "
     "would write it. Keep it warm and specific. You do not need to share it unless you want "
     "to.",
     None),
    ("Mood and Energy Tracker",
     "Rate your mood and energy three times a day (morning, afternoon, evening) from 1 to 10 and "
     "add a word about what you were doing. We will look at the links between activity and mood.",
     "mood-tracker"),
    ("Box Breathing Practice",
     "Practise box breathing (in for 4, hold for 4, out for 4, hold for 4) for five minutes twice "
     "a day. Log when you practised and how tense you felt before and after (0-10).",
     None),
    ("Exposure Hierarchy",
     "Build a ladder of ten situations you tend to avoid, from least to most anxiety-provoking, "
     "with a rating for each (0-100). Do not start the exposures yet; we will plan the first "
     "steps together.",
     "exposure-ladder"),
    ("Boundaries Reflection",
     "Think of two recent situations where you said yes but wanted to say no. Describe what "
     "happened, what you needed, and one sentence you could use next time to hold the boundary "
     "kindly.",
     None),
    ("Relapse Prevention Plan",
     "List your early warning signs, the situations that make things harder, the coping skills "
     "that have helped most, and the people you can reach out to. Keep it somewhere easy to "
     "find.",
     "wellness-plan"),
    ("Problem-Solving Worksheet",
     "Pick one practical problem that has been weighing on you. Define it in one sentence, "
     "brainstorm at least five possible solutions without judging them, weigh the pros and cons "
     "of the top two and choose a first step.",
     "problem-solving"),
    ("Weekly Wins Log",
     "At the end of each day, write down one thing that went well or that you handled better "
     "than before. Small wins count.",
     None),
)

FEEDBACK = (
    "Thank you for completing this so thoroughly. The balanced thoughts you came up with are a "
    "real step forward; let's build on them in our next session.",
    "I can see the effort you put into this. Notice how the intensity dropped once you wrote the "
    "alternative thought down. That is the skill working.",
    "Great consistency this week. The pattern between late screen time and the restless nights "
    "stands out; let's talk about one small change to try.",
    "You were honest with yourself here, which takes courage. We'll pick one of the easier "
    "activities on your list and schedule it together.",
    "Lovely work. Your top values are clear, and the small actions you chose are realistic. "
    "Let's check in on how they went next time.",
    "Good start. A few entries are quite brief; next week try adding how strongly you believed "
    "the thought (0-100%) so we can track the shift.",
    "This is a helpful plan. I'd add one more person to your support list, and keep a copy on "
    "your phone as well.",
    "Well done for sticking with the practice even on busy days. Your before-and-after ratings "
    "show it is helping.",
    "Thanks for sharing this. It gives us a lot to work with. We'll go through the ladder step by "
    "step and only at a pace that feels manageable.",
    "Really thoughtful reflections. The sentence you wrote for holding the boundary is kind and "
    "clear; let's role-play it in session.",
)

# Names people give the files they upload: (pattern, extension, smallest, largest size in bytes).
SUBMISSION_FILES = (
    ("{slug}-completed", "pdf", 60_000, 900_000),
    ("{slug}-week-{n}", "pdf", 60_000, 700_000),
    ("IMG_{stamp}", "jpg", 400_000, 3_500_000),
    ("{slug}-answers", "docx", 18_000, 160_000),
    ("scan-{stamp}", "pdf", 250_000, 2_400_000),
    ("photo-{n}", "png", 300_000, 2_800_000),
)
