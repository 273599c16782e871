"""The parts of community text that fit every topic, per voice: a client (peer) writes
experiences, questions, check-ins and wins; a therapist writes psychoeducation, invitations and
the boundaries of peer support. Topic-specific parts are in ``corpora.topics``; the composer
(``enrichers.compose``) joins one part of each kind with a space.

The client and therapist pools never share a line (a test holds it): a therapist never signs off
"Just needed to put this somewhere", a client never writes "As a therapist". An empty string is
an optional part left out. ``{community}`` is the community's name.
"""

# --- client posts ---------------------------------------------------------------------------

TITLE_FRAMES = (  # a client's discussion post; {s}: a topic subject, {S}: capitalised
    "{S} this week", "{S}, again", "Thoughts on {s}", "{S}: anyone else?",
    "Still figuring out {s}", "Learning to live with {s}", "What {s} looks like for me",
    "A small note on {s}", "{S} lately", "Being honest about {s}", "{S} after a long week",
    "Talking about {s}", "Loud days with {s}", "{S}, one day at a time", "Venting about {s}",
    "Trying something new with {s}", "{S} and the people around me", "Where I am with {s}",
)
QUESTION_FRAMES = ("{Q}", "Question: {Q}", "Asking the group: {Q}", "Still wondering: {Q}")
QUESTION_SUBJECT_FRAMES = ("How do you handle {s}?", "Advice on {s}?",
                           "{S}: what helps you?", "Has anyone found a way through {s}?")
WIN_FRAMES = ("Small win: {w}", "{W}!", "Progress: {w}", "A win I want to share: {w}",
              "{W}, finally", "Proud of this one: {w}", "Good news: {w}")

CHECKIN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Weekend", "Morning",
                "Evening", "Midweek", "Late-night", "Sunday", "Rainy-day")
CHECKIN_MOODS = (
    "tired but here", "a better day", "heavy but okay", "steadier than last week",
    "one small step", "low energy, still trying", "quietly hopeful", "a bit scattered",
    "more good than bad", "running on coffee", "calmer today", "not my best day",
    "showing up anyway", "a little lighter", "slow and steady", "taking it easy",
    "mixed feelings", "proud of a small thing", "needing some company", "surprisingly okay",
)

INTRO_GREETINGS = ("Hi", "Hello", "Hello everyone", "Hi all", "Kumusta", "Good evening",
                   "Hey everyone", "Magandang araw")
INTRO_WHO = (
    "new member here", "longtime lurker here", "student here", "first-time poster here",
    "working mom here", "night-shift worker here", "new to all of this", "finally posting",
    "new to the group", "quiet reader saying hello", "nervous first post",
    "just joined today", "here on a friend's suggestion", "back after a break",
)

OPENERS = (  # how a client starts a discussion post
    "", "", "Not sure how to start this.", "Long-time reader, rare poster.",
    "I have been holding this in for a while.", "Writing this during my lunch break.",
    "This is a bit long, sorry.", "I wanted to share something from this week.",
    "Posting here because I trust this group.", "Quick one tonight.",
    "Something I have been thinking about lately.", "Finally putting this into words.",
    "Using this post to get it out of my head.",
)
FEELINGS = (
    "It left me feeling drained and a little ashamed.", "Part of me is frustrated with myself.",
    "I felt more alone than I expected.", "Honestly, I was surprised by how much it got to me.",
    "It is exhausting to explain to people who have not been there.",
    "I keep telling myself it is fine, but it does not feel fine.",
    "Some days I handle it well and some days I do not.",
    "I am tired, but I am also a bit hopeful.", "It felt heavier than it should have.",
    "I felt embarrassed, then annoyed that I felt embarrassed.",
    "Writing it down already makes it feel smaller.",
    "I know I am not the only one, but it still feels lonely.",
    "My family tries to understand, and I appreciate that.",
    "It has been on my mind all week.",
)
ENDINGS = (  # a client's sign-off
    "", "", "Does anyone else deal with this?", "Just needed to put this somewhere.",
    "Thanks for reading.", "Would love to hear how you cope.", "Any tips are welcome.",
    "Sending strength to everyone here.", "Salamat sa inyong lahat.",
    "Thank you for being a kind space.", "Would love to hear your experiences.",
    "Maybe someone here needs to read this too.",
)
QUESTION_ENDINGS = (
    "", "Any advice is welcome.", "Thank you in advance.",
    "I would love to hear from the therapists here too.",
    "Not looking for a diagnosis, just experiences.", "Salamat po.",
    "Sorry if this has been asked before.",
)
WIN_ENDINGS = (  # a client's sign-off under good news
    "", "", "Thanks for reading.", "Sending strength to everyone here.",
    "Salamat sa inyong lahat.", "Small steps count!", "Hoping this gives someone a boost.",
    "Just wanted to share.", "Thank you all for the encouragement.",
)
WIN_FEELINGS = (
    "I did not expect to feel this proud.", "It is small, but it is mine.",
    "A few months ago this would not have happened.", "I almost did not share it.",
    "My best friend was happy when I told her.", "I am trying to actually celebrate it.",
    "It felt good to notice it.", "I wanted to write it down somewhere.",
)
CHECKIN_STATUS = (
    "Energy is low today, maybe a 4/10.", "Today felt like a 6/10, which I will take.",
    "Slept badly but made it through work.", "Woke up anxious, feeling steadier now.",
    "Had a quiet, decent day.", "Busy day, not much time to think.",
    "Today was heavy. Checking in so I do not disappear.", "Better than yesterday.",
    "Made it through the week.", "Stayed home and rested, no guilt.",
    "Drank enough water and ate real meals, small wins.", "Mood is up and down today.",
)
CHECKIN_ASKS = ("How is everyone doing?", "How about you?", "How was your day?",
                "Checking in on all of you too.", "", "Hope your day is kind to you.")
INTRO_JOINED = (
    "New to {community}.", "Just joined {community}.", "I have read {community} for a few "
    "weeks before posting.", "A friend suggested {community} to me.",
    "A cousin told me about {community}.",
    "Found {community} through the Mentara app.",
)
INTRO_HOPES = (
    "Mostly here to listen for now.", "Glad to find a kind space.",
    "Looking forward to learning from all of you.", "Hoping to feel a bit less alone.",
    "Your stories already helped, so thank you.", "Happy to be here.",
    "Not sure what to say yet, but hello.",
)

# --- client comments ------------------------------------------------------------------------

EMPATHY = (
    "Thank you for sharing this.", "This really resonates with me.", "Sending you a big hug.",
    "That sounds really hard.", "I am glad you wrote this.", "Same here, honestly.",
    "Proud of you for posting this.", "You are not alone in this.", "I relate to this so much.",
    "Reading this on my break and nodding along.", "Thank you for being so open.",
    "Be gentle with yourself.", "Kapit lang.", "This took courage to post.",
)
ANSWER_OPENERS = (
    "Not a therapist, but here is what worked for me.", "Good question.",
    "I asked myself the same thing last year.", "From my own experience:",
    "What helped me a little:", "I struggled with this too.", "I can only speak for myself, but",
    "Take this with a grain of salt, but", "Following, and adding my two cents.",
    "This took me a while to figure out.",
)
CHEERS = (
    "Small wins are still wins!", "That is a big step. Well done.", "Love this!",
    "This made my day.", "So proud of you.", "Yay! That takes real effort.",
    "Ang galing! Happy for you.", "Congratulations!", "This is wonderful news.",
    "Look at you go!", "That is huge, honestly.", "Celebrating with you!",
    "What a win.", "Saving this as motivation.",
)
CHEER_MORE = (
    "", "", "Remember this on the harder days.", "Keep going!", "You earned this one.",
    "Thank you for sharing the good news.", "Hope you treated yourself.",
    "This gives me hope for my own week.", "Write it down somewhere so you remember it.",
    "You should be proud.",
)
WELCOMES = (
    "Welcome! Glad you found us.", "Welcome to the group.", "Hi and welcome!",
    "Welcome! You are in good company here.", "So glad you posted.", "Welcome, kapatid.",
    "Welcome! Reading counts too, take your time.", "Hello and welcome!",
    "Happy you are here.", "Welcome aboard.", "Nice to meet you!", "Welcome, friend.",
)
WELCOME_MORE = (
    "", "", "This is a kind corner of the internet.", "Post whenever you feel ready.",
    "Looking forward to getting to know you.", "We are here for you.",
    "No pressure to share more than you want.", "You will find people who get it here.",
)
REPLY_AGREE = (  # a reply that stands on its own
    "Agree with this completely.", "This is such good advice.", "Well said.",
    "Thank you, I did not know others felt this too.", "Yes! I read the same somewhere.",
    "Following this thread.", "This is exactly it.", "Seconding this.",
    "Could you share more about how you started?", "Saving this reply.",
)
REPLY_ADD = (  # a reply that adds the replier's own experience
    "Same experience here.", "Adding to this:", "Thanks for this. What helped me:",
    "This worked for me too, and also:", "Agree, and one more thing:",
)
TIP_THANKS = (  # a client answering a therapist's post
    "Thank you for this.", "This is so helpful, thank you.", "Saving this one.",
    "I needed this reminder today.", "Salamat for explaining it so clearly.",
    "Trying this tonight.", "This makes a lot of sense.", "Thank you, doc.",
)
COMMENT_ENDINGS = (
    "", "", "", "Take care.", "Hope tomorrow is lighter.", "Rooting for you.",
    "Please keep us posted.", "One day at a time.", "You are doing better than you think.",
    "Hugs from Davao.", "Kaya mo 'yan.", "Thinking of you.",
)

# --- therapists -----------------------------------------------------------------------------

TIP_FRAMES = (  # {s}: a topic skill
    "A therapist's note on {s}", "{S}, in plain words", "Why {s} helps",
    "Try this week: {s}", "Questions I often hear about {s}", "Understanding {s}",
    "A gentle guide to {s}", "Common myths about {s}", "Five minutes of {s}",
)
THERAPIST_INTRO_TITLES = (
    "A therapist joining the group", "Hello from a new therapist here",
    "Introducing myself as a therapist", "A psychologist saying hello",
    "Glad to be reading along", "A counsellor joining {community}",
)
THERAPIST_OPENERS = (
    "", "I see this often in my practice.", "A short piece of psychoeducation for the group.",
    "Something many of my clients find useful.", "A note for anyone who needs it this week.",
    "Sharing this because it comes up often.", "Here is an idea from therapy that you can try.",
)
THERAPIST_INTRO = (
    "I am a licensed psychologist and I will be reading along in {community}.",
    "I am a therapist on Mentara and I am glad to join {community}.",
    "I work as a counsellor and I will share occasional notes in {community}.",
    "As a therapist, I am happy to answer general questions in {community}.",
)
BOUNDARIES = (
    "Peer support is valuable, and it works best alongside professional care.",
    "I cannot give individual advice here, but I can share what research and practice show.",
    "Please bring anything that feels heavy to your own therapist, who knows your history.",
    "This is general information, not a substitute for a session with your clinician.",
    "Everyone's situation is different, so take what fits and leave the rest.",
)
INVITATIONS = (
    "", "Questions about the process are welcome in the comments.",
    "If you try it, I would be glad to hear how it went.",
    "Feel free to ask about anything that is unclear.",
    "Consider bringing this to your next session.",
    "Notice what changes, without judging it.",
)
THERAPIST_VALIDATIONS = (
    "Thank you for sharing this so openly.", "What you describe is very common.",
    "It makes sense that this feels hard.", "Noticing this is already a step.",
    "This is a thoughtful question.", "You are describing something many people live with.",
    "That sounds exhausting, and understandable.", "I am glad you brought this here.",
    "Well done for putting this into words.", "This is worth taking seriously.",
)
THERAPIST_COLLEAGUE = (  # a therapist adding to a colleague's post
    "Adding to this from my own practice.", "A helpful note; one more idea to pair with it.",
    "I share this with clients too.", "Seconding this, with one addition.",
    "Agreed, and a practical step that goes with it.",
)
THERAPIST_CHEERS = (
    "This is real progress.", "Well done.", "What a meaningful step.",
    "This is exactly how change happens.", "Congratulations on this.",
    "That took effort, and it shows.",
)
THERAPIST_CHEER_MORE = (
    "Noticing and celebrating it helps it stick.", "Small, repeated steps like this add up.",
    "Notice what made it possible this time.", "Be sure to give yourself credit for it.",
    "It is worth remembering on harder days.", "Consistency matters more than size.",
)
THERAPIST_WELCOMES = (
    "Welcome! I hope this community feels like a safe place to share at your own pace.",
    "Welcome. Reaching out is already a step.", "Welcome, and thank you for joining us.",
    "Glad you are here. Share only what feels comfortable.",
    "Welcome, and thank you for introducing yourself.",
)

# --- moderators -----------------------------------------------------------------------------

MODERATOR_WELCOMES = (
    "Welcome to the community! I'm one of the moderators here.",
    "Hi and welcome, from the moderator team.", "Welcome! Glad to have you with us.",
    "A warm welcome from the moderators.",
)
MODERATOR_POINTERS = (
    "The community guidelines are pinned in Announcements.",
    "Crisis resources are pinned in Helpful Resources if you ever need them.",
    "Feel free to message the moderators with any questions.",
    "Introductions, check-ins and wins each have their own room.",
)
MODERATOR_THANKS = (
    "Thanks for posting.", "Thank you for sharing this with the group.",
    "Moderator here, thanks for starting this thread.", "Thanks for keeping this space kind.",
    "Appreciate everyone's supportive replies here.", "Good to see this conversation.",
    "Thanks for being so open here.", "Moderator note, with thanks for this post.",
)
MODERATOR_NOTES = (
    "A gentle reminder to keep advice about medication general and to check with a doctor.",
    "Please remember that peers share experiences, not diagnoses.",
    "If this brings up a lot, the therapists answer questions in Ask a Therapist.",
    "Let's keep the thread focused on support.",
    "Please avoid sharing other people's personal details.",
    "If anyone is in crisis, please reach out to a crisis line or someone near you now.",
    "Replies here have been kind, let's keep it that way.",
    "Please add a content note if a post touches on difficult topics.",
    "Remember that everyone's pace is different here.",
    "Links to paid programs are not allowed, so I removed one reply.",
)
