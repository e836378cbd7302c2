# Meridian developer commands. Each target is one command a developer or CI runs as is.
MVN ?= mvn
JAR := gateway-app/target/meridian.jar

.PHONY: run test bench bench-quick bench-load fuzz clean

## run: build, then run the demo (gateway on :8080, demo origins on :9001/:9002, management on 127.0.0.1:9901)
run:
	$(MVN) -B -q -DskipTests package
	java -jar $(JAR) --spring.profiles.active=demo

## test: every module's unit and integration tests
test:
	$(MVN) -B verify

## bench: every JMH micro-benchmark suite at full settings, about 40 minutes (never part of `test`)
bench:
	$(MVN) -B -q -pl bench -am package -DskipTests
	java -jar bench/target/benchmarks.jar 'dev.meridian.bench'

## bench-quick: the same suites in quick mode (1 fork, short iterations), about 9 minutes
bench-quick:
	$(MVN) -B -q -pl bench -am package -DskipTests
	java -jar bench/target/benchmarks.jar 'dev.meridian.bench' -f 1 -wi 2 -w 1s -i 3 -r 1s

## bench-load: Meridian vs nginx vs HAProxy vs Spring Cloud Gateway on one nginx origin (needs: apt-get install -y nginx haproxy wrk);
##             `make bench-load MODE=warmup` (start-up to steady state) or `MODE=soak SOAK=600s` (memory over time)
bench-load:
	$(MVN) -B -q -DskipTests package
	$(MVN) -B -q -f bench/load/peers/spring-cloud-gateway/pom.xml -DskipTests package
	bench/load/compare.sh

## fuzz: every Jazzer target for FUZZ_SECONDS each (default 600); the corpora also replay in `test`
FUZZ_SECONDS ?= 600
fuzz:
	fuzz/run-fuzz.sh $(FUZZ_SECONDS)

## clean: remove build output
clean:
	$(MVN) -B -q clean
