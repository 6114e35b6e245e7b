package slacksim

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors the driver and controls return; test with errors.Is.
var (
	ErrClosed       = errors.New("server closed")
	ErrNoConnection = errors.New("no socket mode connection (dispatch_failed)")
	ErrNotAcked     = errors.New("envelope not acked in time")
	ErrNotFound     = errors.New("not found")
)

// state is everything the server knows. Every field is guarded by Server.mu.
type state struct {
	opts   *Options
	closed bool

	users      map[string]*User
	userOrder  []string
	channels   map[string]*Channel
	chanOrder  []string
	groups     map[string]*Usergroup
	dmByUser   map[string]string
	msgs       map[string][]*Message
	lastTS     int64
	ephemerals []*Message
	files      map[string]*File

	views    map[string]*View
	modals   map[string][]string // user -> modal stack of view ids, bottom first
	homes    map[string]string   // user -> home view id
	triggers map[string]*trigger
	respURLs map[string]*responseURL

	conns     map[string]*conn
	tickets   map[string]bool // ticket -> used
	envelopes map[string]*envelope
	envOrder  []string
	acks      []Ack
	calls     []Call
	pingsOff  bool
	rr        int // round-robin cursor over live sockets

	faults      map[string][]Fault
	connOpenErr *Fault
	limiter     *limiter
	rateNow     func() time.Time // the rate limits' clock: real time (tests move it)
	limited     map[string]int   // method -> 429 answers from the rate limiter

	seq     int64
	events  []Event
	changed chan struct{}
	subs    map[int]chan Event
	subID   int
	dropped int

	ids map[string]int
}

func (st *state) init(o *Options) {
	st.opts = o
	st.users = map[string]*User{}
	st.channels = map[string]*Channel{}
	st.groups = map[string]*Usergroup{}
	st.dmByUser = map[string]string{}
	st.msgs = map[string][]*Message{}
	st.files = map[string]*File{}
	st.views = map[string]*View{}
	st.modals = map[string][]string{}
	st.homes = map[string]string{}
	st.triggers = map[string]*trigger{}
	st.respURLs = map[string]*responseURL{}
	st.conns = map[string]*conn{}
	st.tickets = map[string]bool{}
	st.envelopes = map[string]*envelope{}
	st.faults = map[string][]Fault{}
	st.limited = map[string]int{}
	st.changed = make(chan struct{})
	st.subs = map[int]chan Event{}
	st.ids = map[string]int{}
	st.rateNow = time.Now
	if o.RateLimits == nil {
		o.RateLimits = TierLimits()
	}
	if len(o.RateLimits) > 0 {
		st.limiter = newLimiter(o.RateLimits)
	}
}

// newID mints an upper-case Slack-looking id with the given prefix ("D", "V", "F", …).
func (st *state) newID(prefix string) string {
	st.ids[prefix]++
	return fmt.Sprintf("%s0SIM%05d", prefix, st.ids[prefix])
}

// randHex returns n random bytes as hex; used for envelope ids, secrets and tickets.
func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// newUUID returns a random RFC 4122 style id, the shape of real envelope ids.
func newUUID() string {
	h := randHex(16)
	return strings.Join([]string{h[0:8], h[8:12], h[12:16], h[16:20], h[20:32]}, "-")
}

func itoa(n int) string { return strconv.Itoa(n) }
