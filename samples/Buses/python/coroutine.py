# coroutine.py
#
# Beazley's priming decorator: calling a decorated generator function creates the generator and advances it to
# its first (yield), so that it is ready to receive with send(). (Python 3: next(g) instead of g.next().)

def coroutine(func):
    def start(*args, **kwargs):
        g = func(*args, **kwargs)
        next(g)
        return g
    return start
