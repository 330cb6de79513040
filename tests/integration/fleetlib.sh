# Helpers for the tests of the outside reporting: an HTTP GET without
# curl, a metric's value, and a private mosquitto broker.

# http_get URL: the body on stdout; fails on any status but 200.
http_get() {
	python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$1"
}

# metric FILE NAME{LABELS}: the value of one sample in a scrape.
metric() {
	awk -v n="$2 " 'index($0, n) == 1 { print $NF; found = 1 }
	    END { exit !found }' "$1"
}

# start_broker: mosquitto on a free loopback port ($MQ_PORT), its pid in
# $BROKER_PID; the same port again after a restart.
start_broker() {
	MQ_PORT=${MQ_PORT:-$(free_port)}
	printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' \
	    "$MQ_PORT" >"$T/mosquitto.conf"
	mosquitto -c "$T/mosquitto.conf" >>"$T/broker.log" 2>&1 &
	BROKER_PID=$!
	PIDS="$PIDS $BROKER_PID"
	wait_for 5 "mosquitto listening" broker_up
}
broker_up() {
	mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -t probe -m x
}
stop_broker() {
	kill -KILL "$BROKER_PID"
	wait "$BROKER_PID" 2>/dev/null || true
}
