package slacksim

import "time"

// SetRateClock replaces the rate limits' clock, so that a test can pace
// calls without waiting.
func (s *Server) SetRateClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.rateNow = now
}

// MintResponseURL returns a new response_url for user in channel.
func (s *Server) MintResponseURL(user, channel string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, _ := s.mintResponseURL("commands", user, channel, "")
	return u
}
