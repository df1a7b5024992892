# subroutines.py
#
# The idea of pyos8.py (Part 8): a task calls subroutines, and the subroutines
# make system calls themselves.  pyos8.py gets there with a trampoline: Task.run()
# keeps a stack of generators and passes values between them by hand.  Python 3's
# `yield from` (PEP 380) does that trampolining itself, so the operating system
# needs no change at all: this is pyos6.py's Task and Scheduler, imported as they are.

from pyos6 import Scheduler, GetTid, NewTask, WaitTask

# trampoline.py's subroutine: main() calls it and gets 4
def add(x,y):
    return x+y
    yield                  # never reached: it only makes add() a generator

# A subroutine that makes a system call and returns its result
def spawn(target):
    tid = yield NewTask(target)
    print("Started task", tid)
    return tid

# A subroutine that calls a subroutine, then makes a system call itself
def spawn_and_wait(target):
    tid = yield from spawn(target)
    print("Waiting for task", tid)
    yield WaitTask(tid)
    return tid

# A task
def foo(name,n):
    mytid = yield GetTid()
    for i in range(n):
        print("I'm", name, mytid)
        yield

def main():
    r = yield from add(2,2)
    print(r)
    yield from spawn(foo("bar",4))             # runs beside main
    child = yield from spawn_and_wait(foo("foo",2))
    print("Task", child, "done")

sched = Scheduler()
sched.new(main())
sched.mainloop()
