// Words the app uses in more than one place. Warm, plain, no guilt.
//
// The vocabularies: [value, label] pairs whose values are exactly the API's
// (tests/api/test_vocabularies.py checks them against /api/openapi.json).
// Screens take their choices from here and nowhere else.

// The label of `value` in one of the [value, label] lists below ('' if none).
export const labelOf = (list, value) => list.find(([v]) => String(v) === String(value))?.[1] ?? '';

export const STAGES = [
  ['application', 'Application'],
  ['screening', 'Screening'],
  ['interview', 'Interview'],
  ['final_round', 'Final round'],
  ['offer', 'Offer stage'],
];
export const stageLabel = (s) => labelOf(STAGES, s);

export const MOODS = [
  [1, 'Very low'],
  [2, 'Low'],
  [3, 'Okay'],
  [4, 'Good'],
  [5, 'Great'],
];
export const moodLabel = (m) => MOODS.find(([v]) => v === Number(m))?.[1] ?? '';

// Suggestions only: the API takes any short words (SPEC §4).
export const EMOTIONS = ['disappointed', 'frustrated', 'sad', 'angry', 'anxious', 'embarrassed',
  'numb', 'relieved', 'hopeful', 'motivated'].map((e) => [e, e[0].toUpperCase() + e.slice(1)]);

export const FEEDBACK = [
  ['not_requested', 'Not asked yet'],
  ['requested', 'Asked'],
  ['received', 'Received'],
  ['declined', 'They declined'],
];

// An application's status pipeline.
export const APPLICATION_STATUSES = [
  ['applied', 'Applied'],
  ['screening', 'Screening'],
  ['interviewing', 'Interviewing'],
  ['offer', 'Offer'],
  ['accepted', 'Accepted'],
  ['rejected', 'Rejected'],
  ['withdrawn', 'Withdrawn'],
  ['ghosted', 'No reply'],
];

// What a self-care break was spent on.
export const ACTIVITIES = [
  ['walk', 'Walk'],
  ['exercise', 'Exercise'],
  ['sleep', 'Sleep'],
  ['friends', 'Friends'],
  ['family', 'Family'],
  ['hobby', 'Hobby'],
  ['nature', 'Nature'],
  ['meditation', 'Meditation'],
  ['reading', 'Reading'],
  ['other', 'Something else'],
];

// Who a support contact is, and how to reach them.
export const RELATIONSHIPS = [
  ['friend', 'Friend'],
  ['family', 'Family'],
  ['mentor', 'Mentor'],
  ['peer', 'Peer'],
  ['coach', 'Coach'],
  ['other', 'Other'],
];

export const CHANNELS = [
  ['phone', 'Call'],
  ['sms', 'Text'],
  ['email', 'Email'],
  ['other', 'Other'],
];

// The kinds of nudge, each with its own switch in the settings.
export const NUDGE_KINDS = [
  ['break', 'Take a break'],
  ['support', 'Reach out to someone'],
  ['apply', 'One more application'],
  ['feedback', 'Ask for feedback'],
  ['reflect', 'Reflect on a rejection'],
  ['big_picture', 'The week’s big picture'],
];

// [value, name, example thought, question that helps]
export const TRAPS = [
  ['personalizing', 'Personalizing', '“It’s all because of something wrong with me.”',
    'Hiring turns on things you can’t see: budget, timing, an internal candidate. What else might have played a part?'],
  ['catastrophizing', 'Catastrophizing', '“I’ll never find a job.”',
    'What is the most likely outcome, rather than the worst one?'],
  ['all_or_nothing', 'All-or-nothing', '“I didn’t get it, so I failed completely.”',
    'Which parts went okay, even if not perfectly?'],
  ['mind_reading', 'Mind reading', '“They must have thought I was useless.”',
    'What do you actually know about what they thought?'],
  ['overgeneralizing', 'Overgeneralizing', '“This always happens to me.”',
    'Is it always? Think of one time it went differently.'],
];

// What Rebound says right after a rejection is logged: about this one, not a template.
export function kindResponse({ company, stage, mood, emotions }) {
  const at = company ? ` at ${company}` : '';
  const lines = [];
  const byStage = {
    application: `A no${at} at the application stage is mostly about volume and timing. It says very little about you.`,
    screening: `You got through to a screening${at}: your application stood out from the pile.`,
    interview: `Reaching an interview${at} means they saw something real in you.`,
    final_round: `Making the final round${at} puts you among very few people. It hurts because you were close.`,
    offer: `Getting as far as the offer stage${at} shows how close you are.`,
  };
  lines.push(byStage[stage] ?? `A no${at} is one answer, from one place, on one day.`);
  if (emotions?.length) {
    const names = emotions.map((e) => e.toLowerCase());
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
    lines.push(`Feeling ${list} is a normal response. You don’t have to push it away.`);
  }
  if (mood && mood <= 2) {
    lines.push('Go gently today. Anything more can wait.');
  } else if (mood >= 4) {
    lines.push('It’s good that you’re holding up. Keep some of that for yourself.');
  } else {
    lines.push('Whatever you’re feeling is okay.');
  }
  return lines;
}

// A feedback request written from the rejection itself.
export function feedbackEmail(r, name) {
  const role = r.role ? `the ${r.role} role` : 'the role';
  const where = r.company ? ` at ${r.company}` : '';
  const met = {
    screening: 'speak with your team',
    interview: 'interview with your team',
    final_round: 'meet your team in the final round',
    offer: 'get so far in your process',
  }[r.stage] ?? 'apply';
  const subject = `Feedback on my application for ${role}${where}`;
  const body = [
    'Hello,',
    '',
    `Thank you for letting me know your decision about ${role}${where}. I appreciated the chance to ${met}.`,
    '',
    'If you have a moment, I would be grateful for any feedback on my application'
      + (['interview', 'final_round', 'offer'].includes(r.stage) ? ' and interviews' : '')
      + '. Anything I could do better would help me a lot as I keep going.',
    '',
    'Thank you again for your time.',
    '',
    'Best wishes,',
    name || '',
  ].join('\n').trimEnd();
  return { subject, body };
}

// Checked on 25 November 2026 against public sources.
// [where, the service's own name, number, when and how]: national, free lines
// run or named by each country's health service, checked against each
// service's own site (the list and its sources: docs/frontend.md).
export const HELPLINES = [
  ['United States', '988 Suicide & Crisis Lifeline', '988', 'Call or text, any time'],
  ['Canada', '9-8-8 Suicide Crisis Helpline', '988', 'Call or text, any time, in English or French'],
  ['United Kingdom and Ireland', 'Samaritans', '116 123', 'Free, any time'],
  ['Australia', 'Lifeline', '13 11 14', 'Any time'],
  ['New Zealand', 'Need to talk? 1737', '1737', 'Free call or text, any time'],
  ['India', 'Tele-MANAS', '14416', 'Free, any time, in many languages'],
  ['Germany', 'TelefonSeelsorge', '0800 111 0 111', 'Free, any time'],
  ['France', '3114, numéro national de prévention du suicide', '3114', 'Free, any time'],
  ['Spain', 'Línea 024', '024', 'Free, any time'],
  ['Netherlands', '113 Zelfmoordpreventie', '0800 0113', 'Free, any time'],
];
export const HELPLINES_CHECKED = '3 December 2026';

// Reaching out to someone in the support circle: a few messages to start
// from (the person edits them before sending), and an email's subject.
export const REACH_OUT_MESSAGES = [
  'I got a no today — got time to talk?',
  'The job search is wearing me down a bit. Fancy a call or a coffee this week?',
  'No news, just thinking of you. How are you doing?',
];
export const REACH_OUT_SUBJECT = 'Got a minute?';
