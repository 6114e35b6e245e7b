package manifest_test

// Tests of the deploy/ files that have no Go code of their own.

import (
	"bytes"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var deployDir = filepath.Join("..", "..", "deploy")

func readDeploy(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deployDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// k8sObject is the part of a Kubernetes object the tests read.
type k8sObject struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	StringData map[string]string `yaml:"stringData"`
	Spec       struct {
		Replicas    *int   `yaml:"replicas"`
		ServiceName string `yaml:"serviceName"`
		Template    struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
		VolumeClaimTemplates []struct {
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
			Spec struct {
				AccessModes []string `yaml:"accessModes"`
			} `yaml:"spec"`
		} `yaml:"volumeClaimTemplates"`
	} `yaml:"spec"`
}

type podSpec struct {
	SecurityContext securityContext `yaml:"securityContext"`
	Containers      []struct {
		Name string `yaml:"name"`
		Env  []struct {
			Name      string `yaml:"name"`
			Value     string `yaml:"value"`
			ValueFrom struct {
				SecretKeyRef struct {
					Name string `yaml:"name"`
					Key  string `yaml:"key"`
				} `yaml:"secretKeyRef"`
			} `yaml:"valueFrom"`
		} `yaml:"env"`
		LivenessProbe   probe           `yaml:"livenessProbe"`
		ReadinessProbe  probe           `yaml:"readinessProbe"`
		SecurityContext securityContext `yaml:"securityContext"`
		VolumeMounts    []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
	} `yaml:"containers"`
}

type probe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
	} `yaml:"httpGet"`
}

type securityContext struct {
	RunAsNonRoot             *bool `yaml:"runAsNonRoot"`
	ReadOnlyRootFilesystem   *bool `yaml:"readOnlyRootFilesystem"`
	AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
}

func decodeAll(t *testing.T, b []byte) []k8sObject {
	t.Helper()
	var objs []k8sObject
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var o k8sObject
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return objs
		}
		if err != nil {
			t.Fatalf("parse Kubernetes YAML: %v", err)
		}
		if o.Kind != "" {
			objs = append(objs, o)
		}
	}
}

func isTrue(b *bool) bool { return b != nil && *b }

func TestKubernetes(t *testing.T) {
	objs := decodeAll(t, readDeploy(t, "kubernetes.yaml"))
	var sts *k8sObject
	for i := range objs {
		if objs[i].Kind == "StatefulSet" {
			if sts != nil {
				t.Fatalf("more than one StatefulSet")
			}
			sts = &objs[i]
		}
		if objs[i].Kind == "Deployment" || objs[i].Kind == "DaemonSet" {
			t.Errorf("found a %s: leancoach must run as exactly one StatefulSet pod", objs[i].Kind)
		}
	}
	if sts == nil {
		t.Fatal("kubernetes.yaml has no StatefulSet")
	}
	if sts.Spec.Replicas == nil || *sts.Spec.Replicas != 1 {
		t.Errorf("StatefulSet replicas = %v, want exactly 1", sts.Spec.Replicas)
	}
	if !slices.ContainsFunc(objs, func(o k8sObject) bool { return o.Kind == "Service" && o.Metadata.Name == sts.Spec.ServiceName }) {
		t.Errorf("no Service named %q (the StatefulSet's serviceName)", sts.Spec.ServiceName)
	}
	if n := len(sts.Spec.VolumeClaimTemplates); n != 1 || !slices.Equal(sts.Spec.VolumeClaimTemplates[0].Spec.AccessModes, []string{"ReadWriteOnce"}) {
		t.Fatalf("volumeClaimTemplates = %+v, want one ReadWriteOnce claim", sts.Spec.VolumeClaimTemplates)
	}
	claim := sts.Spec.VolumeClaimTemplates[0].Metadata.Name

	pod := sts.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("pod has %d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if got := c.LivenessProbe.HTTPGet.Path; got != "/healthz" {
		t.Errorf("livenessProbe path = %q, want /healthz", got)
	}
	if got := c.ReadinessProbe.HTTPGet.Path; got != "/readyz" {
		t.Errorf("readinessProbe path = %q, want /readyz", got)
	}
	if !isTrue(pod.SecurityContext.RunAsNonRoot) && !isTrue(c.SecurityContext.RunAsNonRoot) {
		t.Errorf("runAsNonRoot is not set")
	}
	if !isTrue(c.SecurityContext.ReadOnlyRootFilesystem) {
		t.Errorf("readOnlyRootFilesystem is not set")
	}
	if c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
		t.Errorf("allowPrivilegeEscalation is not false")
	}

	env := map[string]string{}
	secretRefs := map[string]string{} // variable -> secret/key
	for _, e := range c.Env {
		env[e.Name] = e.Value
		if r := e.ValueFrom.SecretKeyRef; r.Name != "" {
			secretRefs[e.Name] = r.Name + "/" + r.Key
			if e.Value != "" {
				t.Errorf("%s has both a value and a secret", e.Name)
			}
		}
	}
	mountedOnClaim := ""
	for _, m := range c.VolumeMounts {
		if m.Name == claim {
			mountedOnClaim = m.MountPath
		}
	}
	if mountedOnClaim == "" || !strings.HasPrefix(env["LEANCOACH_DB"], mountedOnClaim+"/") {
		t.Errorf("LEANCOACH_DB = %q, want a file on the claim's mount %q", env["LEANCOACH_DB"], mountedOnClaim)
	}

	secrets := decodeAll(t, readDeploy(t, "kubernetes-secret.example.yaml"))
	if len(secrets) != 1 || secrets[0].Kind != "Secret" {
		t.Fatalf("kubernetes-secret.example.yaml = %d objects, want one Secret", len(secrets))
	}
	for _, v := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"} {
		want := secrets[0].Metadata.Name + "/" + v
		if secretRefs[v] != want {
			t.Errorf("%s comes from %q, want secret key %q", v, secretRefs[v], want)
		}
		if _, ok := secrets[0].StringData[v]; !ok {
			t.Errorf("the example Secret lacks %s", v)
		}
	}
}

// unitSettings parses a systemd unit into "Section.Key" -> values.
func unitSettings(b []byte) map[string][]string {
	out := map[string][]string{}
	section := ""
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		default:
			k, v, _ := strings.Cut(line, "=")
			out[section+"."+k] = append(out[section+"."+k], v)
		}
	}
	return out
}

func TestSystemdUnitHardening(t *testing.T) {
	s := unitSettings(readDeploy(t, "leancoach.service"))
	want := map[string]string{
		"Service.DynamicUser":             "yes",
		"Service.StateDirectory":          "leancoach",
		"Service.ProtectSystem":           "strict",
		"Service.ProtectHome":             "yes",
		"Service.NoNewPrivileges":         "yes",
		"Service.PrivateTmp":              "yes",
		"Service.PrivateDevices":          "yes",
		"Service.RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"Service.CapabilityBoundingSet":   "",
		"Service.SystemCallFilter":        "@system-service",
		"Service.UMask":                   "0077",
		"Service.EnvironmentFile":         "/etc/leancoach/env",
		"Service.Restart":                 "on-failure",
		"Install.WantedBy":                "multi-user.target",
	}
	for k, v := range want {
		if !slices.Contains(s[k], v) {
			t.Errorf("leancoach.service %s = %q, want %q", k, s[k], v)
		}
	}
	if !slices.Contains(s["Service.Environment"], "LEANCOACH_DB=/var/lib/leancoach/leancoach.db") {
		t.Errorf("leancoach.service does not put LEANCOACH_DB in the StateDirectory: %q", s["Service.Environment"])
	}
}

// TestSystemdAnalyzeVerify runs systemd-analyze verify on the unit, with
// ExecStart pointed at a stand-in binary (verify checks that it exists). Any
// warning about the unit fails the test, since verify exits 0 on unknown keys
// and unparsable values.
func TestSystemdAnalyzeVerify(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed; CI installs systemd where it can")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bot")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	unit := bytes.ReplaceAll(readDeploy(t, "leancoach.service"), []byte("/usr/local/bin/bot"), []byte(bin))
	path := filepath.Join(dir, "leancoach.service")
	if err := os.WriteFile(path, unit, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), tool, "verify", "--man=no", path).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze verify leancoach.service: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "leancoach.service") {
			t.Errorf("systemd-analyze verify: %s", line)
		}
	}
}

func TestDockerfile(t *testing.T) {
	df := string(readDeploy(t, "Dockerfile"))
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(froms) < 2 || !strings.HasPrefix(froms[0][1], "golang:1.26") {
		t.Errorf("Dockerfile stages = %v, want a golang:1.26 builder and a runtime stage", froms)
	}
	if len(froms) > 0 {
		if final := froms[len(froms)-1][1]; !strings.Contains(final, "distroless/static") && final != "scratch" {
			t.Errorf("final image = %s, want distroless/static or scratch", final)
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "VOLUME /data", "LEANCOACH_DB=/data/leancoach.db", `ENTRYPOINT ["/usr/local/bin/bot"]`} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(users) == 0 {
		t.Fatalf("Dockerfile sets no USER: the bot would run as root")
	}
	user := users[len(users)-1][1]
	uid, _, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); uid == "root" || (err == nil && n == 0) {
		t.Errorf("Dockerfile USER = %s, want a non-root user", user)
	}
}

// TestBinaryEmbedsTimeZones guards the slim image: it has no zoneinfo, so the
// binary must import time/tzdata.
func TestBinaryEmbedsTimeZones(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "..", "cmd", "bot", "main.go"), nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		if imp.Path.Value == `"time/tzdata"` {
			return
		}
	}
	t.Errorf("cmd/bot/main.go does not import time/tzdata; the container image would know no time zones")
}

func TestEnvExample(t *testing.T) {
	env := string(readDeploy(t, "env.example"))
	for _, v := range []string{"SLACK_BOT_TOKEN=xoxb-", "SLACK_APP_TOKEN=xapp-", "LEANCOACH_ADMINS=", "LEANCOACH_TZ=", "LEANCOACH_DB", "LEANCOACH_HTTP_ADDR", "LOG_LEVEL="} {
		if !strings.Contains(env, v) {
			t.Errorf("env.example lacks %s", v)
		}
	}
}
