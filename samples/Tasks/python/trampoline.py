# trampoline.py
#
# A simple example of trampolining between coroutines
# (Beazley, "A Curious Course on Coroutines and Concurrency", Part 8: trampolining;
# written for Python 3)

# A subroutine
def add(x,y):
    yield x+y

# A function that calls a subroutine
def main():
    r = yield add(2,2)
    print(r)
    yield

def run():
    m      = main()
    # An example of a "trampoline"
    sub    = m.send(None)
    result = sub.send(None)
    m.send(result)

run()
