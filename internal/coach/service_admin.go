package coach

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/leancoach/leancoach/internal/i18n"
)

// AddDirector registers d as a director of leaders, or adds leaders to an
// existing director (leaders they already have are kept once). Admins only.
func (s *Service) AddDirector(ctx context.Context, actor, d UserID, leaders []UserID) (Director, error) {
	if err := s.requireAdmin(ctx, actor, "director add"); err != nil {
		return Director{}, err
	}
	if len(leaders) == 0 {
		return Director{}, usage("cmd.wrong.missing_leader", "cmd.example.director_add")
	}
	if slices.Contains(leaders, d) {
		return Director{}, usage("cmd.wrong.own_leader", "cmd.example.director_add")
	}
	dir, err := s.store.Director(ctx, d)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		dir = Director{ID: d, AddedBy: actor, AddedAt: s.clock.Now().UTC()}
	default:
		return Director{}, fmt.Errorf("add director: %w", err)
	}
	for _, l := range leaders {
		if !slices.Contains(dir.Leaders, l) {
			dir.Leaders = append(dir.Leaders, l)
		}
	}
	if err := s.store.PutDirector(ctx, dir); err != nil {
		return Director{}, fmt.Errorf("add director: %w", err)
	}
	return dir, s.audit(ctx, actor, ActionDirectorAdd, string(d)+" leaders="+joinIDs(dir.Leaders))
}

// RemoveDirector unregisters d. Their history stays. Admins only; ENOTFOUND
// when d is not a director.
func (s *Service) RemoveDirector(ctx context.Context, actor, d UserID) error {
	if err := s.requireAdmin(ctx, actor, "director remove"); err != nil {
		return err
	}
	if err := s.store.DeleteDirector(ctx, d); err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Errorf(ENOTFOUND, "svc.err.not_a_director", mention(d))
		}
		return fmt.Errorf("remove director: %w", err)
	}
	return s.audit(ctx, actor, ActionDirectorRemove, string(d))
}

// Directors lists the directors with their leaders. Admins only.
func (s *Service) Directors(ctx context.Context, actor UserID) ([]Director, error) {
	if err := s.requireAdmin(ctx, actor, "director list"); err != nil {
		return nil, err
	}
	ds, err := s.store.Directors(ctx)
	if err != nil {
		return nil, fmt.Errorf("list directors: %w", err)
	}
	return ds, nil
}

// ChannelResult tells how setting the kudos channel went.
type ChannelResult struct {
	Channel ChannelID
	Joined  bool // false: the bot could not join by itself and must be invited
}

// SetKudosChannel makes ch the channel for public kudos, joining it first.
// When the bot cannot join by itself (a private channel) the channel is still
// set and Joined is false, so the reply can say how to invite the bot. When
// Slack cannot be asked at all nothing is changed. Admins only.
func (s *Service) SetKudosChannel(ctx context.Context, actor UserID, ch ChannelID) (ChannelResult, error) {
	if err := s.requireAdmin(ctx, actor, "channel"); err != nil {
		return ChannelResult{}, err
	}
	res := ChannelResult{Channel: ch, Joined: true}
	if err := s.msg.JoinChannel(ctx, ch); err != nil {
		if ErrorCode(err) != EFORBIDDEN {
			return ChannelResult{}, fmt.Errorf("set kudos channel: %w", err)
		}
		res.Joined = false
	}
	if err := s.store.PutSetting(ctx, SettingKudosChannel, string(ch)); err != nil {
		return ChannelResult{}, fmt.Errorf("set kudos channel: %w", err)
	}
	return res, s.audit(ctx, actor, ActionChannelSet, string(ch))
}

// KudosChannel returns the kudos channel; ENOTFOUND (saying how to set it)
// when none is set.
func (s *Service) KudosChannel(ctx context.Context) (ChannelID, error) {
	v, err := s.store.Setting(ctx, SettingKudosChannel)
	if err != nil {
		return "", fmt.Errorf("kudos channel: %w", err)
	}
	if v == "" {
		return "", Errorf(ENOTFOUND, "svc.err.no_kudos_channel", i18n.M("role.hint.ask_channel"))
	}
	return ChannelID(v), nil
}

// kudosChannelFor is KudosChannel for actor, who is about to post there:
// when there is none yet, an admin is told how to set it.
func (s *Service) kudosChannelFor(ctx context.Context, actor UserID) (ChannelID, error) {
	ch, err := s.KudosChannel(ctx)
	if ErrorCode(err) == ENOTFOUND && s.IsAdmin(ctx, actor) {
		return "", Errorf(ENOTFOUND, "svc.err.no_kudos_channel", i18n.M("role.hint.set_channel"))
	}
	return ch, err
}

func joinIDs(ids []UserID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ",")
}
