package sandbox

import (
	"regexp"
)

// emojiCodes are the :codes: the sandbox draws; others stay as typed, which
// is what Slack shows for an unknown code too.
var emojiCodes = map[string]string{
	"tada": "🎉", "white_check_mark": "✅", "heavy_check_mark": "✔️", "x": "❌",
	"fire": "🔥", "clap": "👏", "raised_hands": "🙌", "star": "⭐", "star2": "🌟",
	"sparkles": "✨", "calendar": "📆", "date": "📅", "spiral_calendar_pad": "🗓️",
	"bulb": "💡", "wave": "👋", "muscle": "💪", "trophy": "🏆", "zzz": "💤",
	"question": "❓", "grey_question": "❔", "speech_balloon": "💬", "eyes": "👀",
	"pray": "🙏", "100": "💯", "thumbsup": "👍", "+1": "👍", "seedling": "🌱",
	"chart_with_upwards_trend": "📈", "large_green_circle": "🟢", "white_circle": "⚪",
	"red_circle": "🔴", "black_circle": "⚫", "large_yellow_circle": "🟡",
	"large_green_square": "🟩", "white_large_square": "⬜", "red_square": "🟥",
	"black_large_square": "⬛", "large_yellow_square": "🟨", "large_blue_circle": "🔵",
	"heart": "❤️", "smile": "😄", "slightly_smiling_face": "🙂", "memo": "📝",
	"alarm_clock": "⏰", "hourglass": "⌛", "hourglass_flowing_sand": "⏳",
	"footprints": "👣", "factory": "🏭", "mag": "🔍", "ear": "👂", "handshake": "🤝",
	"dart": "🎯", "rocket": "🚀", "warning": "⚠️", "no_entry_sign": "🚫",
	"beach_with_umbrella": "🏖️", "palm_tree": "🌴", "arrows_counterclockwise": "🔄",
	"arrow_right": "➡️", "information_source": "ℹ️", "mega": "📣", "loudspeaker": "📢",
	"bar_chart": "📊", "clipboard": "📋", "pushpin": "📌", "thinking_face": "🤔",
	"raising_hand": "🙋", "ok_hand": "👌", "medal": "🏅", "sports_medal": "🏅",
	"heavy_minus_sign": "➖", "small_blue_diamond": "🔹", "small_orange_diamond": "🔸",
	"lock": "🔒", "wastebasket": "🗑️", "gear": "⚙️", "bell": "🔔", "no_bell": "🔕",
	"sunrise": "🌅", "coffee": "☕", "people_holding_hands": "🧑‍🤝‍🧑", "busts_in_silhouette": "👥",
	"bust_in_silhouette": "👤", "skip_forward": "⏭️", "fast_forward": "⏩", "stopwatch": "⏱️",
}

var emojiRE = regexp.MustCompile(`:([a-z0-9_+\-]+):`)

// emojify replaces known :codes: in HTML text; the codes' alphabet holds no
// HTML metacharacters, so escaped text stays escaped.
func emojify(s string) string {
	return emojiRE.ReplaceAllStringFunc(s, func(m string) string {
		if e, ok := emojiCodes[m[1:len(m)-1]]; ok {
			return e
		}
		return m
	})
}
