# Meridian developer commands. Each target is one command a developer or CI runs as is.
MVN ?= mvn
JAR := gateway-app/target/meridian.jar

.PHONY: run test bench fuzz clean

## run: build, then run the demo (gateway on :8080, demo origins on :9001/:9002, management on 127.0.0.1:9901)
run:
	$(MVN) -B -q -DskipTests package
	java -jar $(JAR) --spring.profiles.active=demo

## test: every module's unit and integration tests
test:
	$(MVN) -B verify

## bench: JMH micro-benchmarks (never part of `test`)
bench:
	$(MVN) -B -q -pl bench -am package -DskipTests
	java -jar bench/target/benchmarks.jar

## fuzz: long fuzzing runs; the corpora also replay in `test`
fuzz:
	$(MVN) -B -pl fuzz -am verify -Pfuzz

## clean: remove build output
clean:
	$(MVN) -B -q clean
