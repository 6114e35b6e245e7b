package slacksim

// ClearFaults drops the faults FailNext queued and not yet used, for the
// methods named or, with none, for every method: what was wrong is fixed
// (a revoked token replaced, an outage over).
func (s *Server) ClearFaults(methods ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(methods) == 0 {
		clear(s.st.faults)
		return
	}
	for _, m := range methods {
		delete(s.st.faults, m)
	}
}
