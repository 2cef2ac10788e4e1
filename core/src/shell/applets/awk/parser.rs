//! The awk grammar (POSIX awk, as busybox's editors/awk.c accepts it) into an AST: items
//! `pattern { action }`, `BEGIN`, `END`, ranges `p1, p2`, `function`s; statements and
//! expressions with awk's precedence (assignment, `?:`, `||`, `&&`, `in`, `~`, comparisons,
//! concatenation, `+ -`, `* / %`, unary, `^`, `++ --`, `$`). `getline` and pipes are not
//! modelled ([`ParseError::Unmodelled`]).

use super::lexer::Tok;

/// Nesting of expressions and statements a program may have.
const MAX_DEPTH: usize = 60;

#[derive(Debug, Clone)]
pub enum Expr {
    Num(f64),
    Str(String),
    /// A regex literal: as a value, `$0 ~ /re/`.
    Regex(String),
    Field(Box<Expr>),
    Var(String),
    Index(String, Vec<Expr>),
    Assign(Box<Expr>, Option<&'static str>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Cmp(&'static str, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    IncDec {
        target: Box<Expr>,
        delta: f64,
        prefix: bool,
    },
    In(Vec<Expr>, String),
    Builtin(String, Vec<Expr>),
    Call(String, Vec<Expr>),
    Group(Box<Expr>),
    /// `(a, b)` outside `in`: the argument list of `print (a, b)`.
    List(Vec<Expr>),
}

#[derive(Debug, Clone)]
pub enum Redirect {
    Write(Expr),
    Append(Expr),
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Print(Vec<Expr>, Option<Redirect>),
    Printf(Vec<Expr>, Option<Redirect>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
}

#[derive(Debug, Clone)]
pub enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug, Clone)]
pub struct Item {
    pub pattern: Pattern,
    /// None: print the record.
    pub action: Option<Vec<Stmt>>,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub params: Vec<String>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, Default)]
pub struct Program {
    pub items: Vec<Item>,
    pub functions: Vec<Function>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Syntax(String),
    Unmodelled(String),
}

pub struct Parser {
    toks: Vec<Tok>,
    i: usize,
    depth: usize,
    /// Inside `print` arguments (outside parentheses): `>` redirects, `in` of `for (x in a)`.
    no_gt: bool,
    no_in: bool,
}

type R<T> = Result<T, ParseError>;

fn syntax<T>(what: &str) -> R<T> {
    Err(ParseError::Syntax(what.to_string()))
}

impl Parser {
    pub fn new(toks: Vec<Tok>) -> Parser {
        Parser {
            toks,
            i: 0,
            depth: 0,
            no_gt: false,
            no_in: false,
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Keyword(k)) if k == kw)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> R<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            syntax(&format!("expected '{op}'"))
        }
    }

    fn newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.i += 1;
        }
    }

    fn terminators(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline) | Some(Tok::Op(";"))) {
            self.i += 1;
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return syntax("program nested too deeply");
        }
        Ok(())
    }

    pub fn program(&mut self) -> R<Program> {
        let mut prog = Program::default();
        self.terminators();
        while self.peek().is_some() {
            if self.is_kw("function") {
                self.i += 1;
                let name = match self.peek().cloned() {
                    Some(Tok::Name(n, _)) => n,
                    _ => return syntax("function name expected"),
                };
                self.i += 1;
                self.expect_op("(")?;
                let mut params = Vec::new();
                while !self.eat_op(")") {
                    match self.peek().cloned() {
                        Some(Tok::Name(n, _)) => params.push(n),
                        _ => return syntax("parameter expected"),
                    }
                    self.i += 1;
                    self.eat_op(",");
                    self.newlines();
                }
                self.newlines();
                let body = self.block()?;
                prog.functions.push(Function { name, params, body });
            } else {
                let pattern = if self.is_kw("BEGIN") {
                    self.i += 1;
                    Pattern::Begin
                } else if self.is_kw("END") {
                    self.i += 1;
                    Pattern::End
                } else if self.is_op("{") {
                    Pattern::All
                } else {
                    let a = self.expr()?;
                    if self.eat_op(",") {
                        self.newlines();
                        Pattern::Range(a, self.expr()?)
                    } else {
                        Pattern::Expr(a)
                    }
                };
                let action = if self.is_op("{") {
                    Some(self.block()?)
                } else if matches!(pattern, Pattern::Begin | Pattern::End) {
                    return syntax("BEGIN/END need an action");
                } else {
                    None
                };
                prog.items.push(Item { pattern, action });
            }
            self.terminators();
        }
        Ok(prog)
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect_op("{")?;
        let mut out = Vec::new();
        self.terminators();
        while !self.eat_op("}") {
            if self.peek().is_none() {
                return syntax("unexpected end of program");
            }
            out.push(self.statement()?);
            self.terminators();
        }
        Ok(out)
    }

    /// A statement as the body of if/while/for (may be a lone `;`).
    fn body(&mut self) -> R<Stmt> {
        self.newlines();
        if self.eat_op(";") {
            return Ok(Stmt::Block(Vec::new()));
        }
        self.statement()
    }

    fn simple_end(&mut self) -> R<()> {
        // A simple statement ends at `;`, a newline, `}` or the end.
        match self.peek() {
            None | Some(Tok::Newline) | Some(Tok::Op(";")) | Some(Tok::Op("}")) => Ok(()),
            _ => syntax("unexpected token after statement"),
        }
    }

    fn statement(&mut self) -> R<Stmt> {
        self.enter()?;
        let r = self.statement_inner();
        self.depth -= 1;
        r
    }

    fn statement_inner(&mut self) -> R<Stmt> {
        if self.is_op("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let kw = match self.peek() {
            Some(Tok::Keyword(k)) => k.clone(),
            _ => {
                let e = self.expr()?;
                self.simple_end()?;
                return Ok(Stmt::Expr(e));
            }
        };
        self.i += 1;
        let stmt = match kw.as_str() {
            "if" => {
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                let then = self.body()?;
                // `else` may follow after terminators.
                let save = self.i;
                self.terminators();
                let other = if self.is_kw("else") {
                    self.i += 1;
                    Some(Box::new(self.body()?))
                } else {
                    self.i = save;
                    None
                };
                return Ok(Stmt::If(c, Box::new(then), other));
            }
            "while" => {
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.i += 1;
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                return Ok(Stmt::While(c, Box::new(self.body()?)));
            }
            "do" => {
                let b = self.body()?;
                self.terminators();
                if !self.is_kw("while") {
                    return syntax("expected 'while'");
                }
                self.i += 1;
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                Stmt::Do(Box::new(b), c)
            }
            "for" => {
                self.expect_op("(")?;
                // `for (k in arr)`
                if let (
                    Some(Tok::Name(k, _)),
                    Some(Tok::Keyword(kin)),
                    Some(Tok::Name(a, _)),
                    Some(Tok::Op(")")),
                ) = (
                    self.toks.get(self.i).cloned(),
                    self.toks.get(self.i + 1).cloned(),
                    self.toks.get(self.i + 2).cloned(),
                    self.toks.get(self.i + 3).cloned(),
                ) {
                    if kin == "in" {
                        self.i += 4;
                        return Ok(Stmt::ForIn(k, a, Box::new(self.body()?)));
                    }
                }
                let init = if self.is_op(";") {
                    None
                } else {
                    Some(Box::new(Stmt::Expr(self.expr()?)))
                };
                self.expect_op(";")?;
                self.newlines();
                let cond = if self.is_op(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect_op(";")?;
                self.newlines();
                let step = if self.is_op(")") {
                    None
                } else {
                    Some(Box::new(Stmt::Expr(self.expr()?)))
                };
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.i += 1;
                    return Ok(Stmt::For(
                        init,
                        cond,
                        step,
                        Box::new(Stmt::Block(Vec::new())),
                    ));
                }
                return Ok(Stmt::For(init, cond, step, Box::new(self.body()?)));
            }
            "break" => Stmt::Break,
            "continue" => Stmt::Continue,
            "next" => Stmt::Next,
            "nextfile" => return Err(ParseError::Unmodelled("nextfile".into())),
            "exit" | "return" => {
                let e = match self.peek() {
                    None | Some(Tok::Newline) | Some(Tok::Op(";")) | Some(Tok::Op("}")) => None,
                    _ => Some(self.expr()?),
                };
                if kw == "exit" {
                    Stmt::Exit(e)
                } else {
                    Stmt::Return(e)
                }
            }
            "delete" => {
                let name = match self.peek().cloned() {
                    Some(Tok::Name(n, _)) => n,
                    _ => return syntax("array name expected"),
                };
                self.i += 1;
                if self.eat_op("[") {
                    let idx = self.expr_list()?;
                    self.expect_op("]")?;
                    Stmt::Delete(name, Some(idx))
                } else {
                    Stmt::Delete(name, None)
                }
            }
            "print" | "printf" => {
                let saved = (self.no_gt, self.no_in);
                self.no_gt = true;
                let args = match self.peek() {
                    None | Some(Tok::Newline) | Some(Tok::Op(";" | "}" | ">" | ">>" | "|")) => {
                        Vec::new()
                    }
                    _ => self.expr_list()?,
                };
                self.no_gt = saved.0;
                // `print (a, b)`: the grouped list is the argument list.
                let args = match args.as_slice() {
                    [Expr::List(list)] => list.clone(),
                    _ => args,
                };
                let redirect = if self.eat_op(">") {
                    Some(Redirect::Write(self.concat_level()?))
                } else if self.eat_op(">>") {
                    Some(Redirect::Append(self.concat_level()?))
                } else if self.is_op("|") {
                    return Err(ParseError::Unmodelled("print to a pipe".into()));
                } else {
                    None
                };
                if kw == "print" {
                    Stmt::Print(args, redirect)
                } else {
                    if args.is_empty() {
                        return syntax("printf: no format");
                    }
                    Stmt::Printf(args, redirect)
                }
            }
            "getline" => return Err(ParseError::Unmodelled("getline".into())),
            _ => return syntax(&format!("unexpected '{kw}'")),
        };
        self.simple_end()?;
        Ok(stmt)
    }

    fn expr_list(&mut self) -> R<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.eat_op(",") {
            self.newlines();
            v.push(self.expr()?);
        }
        Ok(v)
    }

    pub fn expr(&mut self) -> R<Expr> {
        self.enter()?;
        let r = self.assignment();
        self.depth -= 1;
        r
    }

    fn assignment(&mut self) -> R<Expr> {
        let left = self.ternary()?;
        let op = match self.peek() {
            Some(Tok::Op(o @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=" | "**="))) => *o,
            _ => return Ok(left),
        };
        if !matches!(left, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            return Ok(left);
        }
        self.i += 1;
        self.newlines();
        let right = self.expr()?;
        let bin = match op {
            "=" => None,
            "**=" => Some("^"),
            o => Some(&o[..o.len() - 1]),
        };
        Ok(Expr::Assign(Box::new(left), bin, Box::new(right)))
    }

    fn ternary(&mut self) -> R<Expr> {
        let c = self.or()?;
        if !self.eat_op("?") {
            return Ok(c);
        }
        self.newlines();
        let a = self.expr()?;
        self.newlines();
        self.expect_op(":")?;
        self.newlines();
        let b = self.expr()?;
        Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)))
    }

    fn or(&mut self) -> R<Expr> {
        let mut l = self.and()?;
        while self.eat_op("||") {
            self.newlines();
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> R<Expr> {
        let mut l = self.in_expr()?;
        while self.eat_op("&&") {
            self.newlines();
            let r = self.in_expr()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn in_expr(&mut self) -> R<Expr> {
        let mut l = self.matching()?;
        while !self.no_in && self.is_kw("in") {
            self.i += 1;
            let name = match self.peek().cloned() {
                Some(Tok::Name(n, _)) => n,
                _ => return syntax("array name expected after 'in'"),
            };
            self.i += 1;
            let keys = match l {
                Expr::Group(g) => vec![*g],
                other => vec![other],
            };
            l = Expr::In(keys, name);
        }
        Ok(l)
    }

    fn matching(&mut self) -> R<Expr> {
        let mut l = self.comparison()?;
        loop {
            let negate = if self.eat_op("~") {
                false
            } else if self.eat_op("!~") {
                true
            } else {
                return Ok(l);
            };
            let r = self.comparison()?;
            l = Expr::Match(negate, Box::new(l), Box::new(r));
        }
    }

    fn comparison(&mut self) -> R<Expr> {
        let l = self.concat_level()?;
        let op = match self.peek() {
            Some(Tok::Op(o @ ("<" | "<=" | "==" | "!=" | ">=" | ">"))) => *o,
            _ => return Ok(l),
        };
        if op == ">" && self.no_gt {
            return Ok(l);
        }
        self.i += 1;
        let r = self.concat_level()?;
        Ok(Expr::Cmp(op, Box::new(l), Box::new(r)))
    }

    /// Whether the next token can start an operand of a concatenation.
    fn starts_operand(&self) -> bool {
        match self.peek() {
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Regex(_) | Tok::Name(..) | Tok::Builtin(_)) => {
                true
            }
            Some(Tok::Op(o)) => matches!(*o, "$" | "(" | "!" | "-" | "+" | "++" | "--"),
            Some(Tok::Keyword(k)) => k == "getline",
            _ => false,
        }
    }

    fn concat_level(&mut self) -> R<Expr> {
        let mut l = self.additive()?;
        // `a -1` is a subtraction (handled in additive); `!` starts no concatenated operand.
        while self.starts_operand() && !self.is_op("-") && !self.is_op("+") && !self.is_op("!") {
            if self.is_kw("getline") {
                return Err(ParseError::Unmodelled("getline".into()));
            }
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn additive(&mut self) -> R<Expr> {
        let mut l = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(o @ ("+" | "-"))) => *o,
                _ => return Ok(l),
            };
            self.i += 1;
            let r = self.multiplicative()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn multiplicative(&mut self) -> R<Expr> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(o @ ("*" | "/" | "%"))) => *o,
                _ => return Ok(l),
            };
            self.i += 1;
            let r = self.unary()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> R<Expr> {
        self.enter()?;
        let r = if self.eat_op("!") {
            self.unary().map(|e| Expr::Not(Box::new(e)))
        } else if self.eat_op("-") {
            self.unary().map(|e| Expr::Neg(Box::new(e)))
        } else if self.eat_op("+") {
            self.unary().map(|e| Expr::Plus(Box::new(e)))
        } else {
            self.power()
        };
        self.depth -= 1;
        r
    }

    fn power(&mut self) -> R<Expr> {
        let base = self.postfix()?;
        if self.eat_op("^") || self.eat_op("**") {
            // Right associative; the exponent may carry a sign.
            self.enter()?;
            let e = self.unary();
            self.depth -= 1;
            return Ok(Expr::Bin("^", Box::new(base), Box::new(e?)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> R<Expr> {
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            for (op, delta) in [("++", 1.0), ("--", -1.0)] {
                if self.eat_op(op) {
                    return Ok(Expr::IncDec {
                        target: Box::new(e),
                        delta,
                        prefix: false,
                    });
                }
            }
        }
        Ok(e)
    }

    fn args(&mut self) -> R<Vec<Expr>> {
        self.expect_op("(")?;
        let saved = (self.no_gt, self.no_in);
        self.no_gt = false;
        self.no_in = false;
        let mut v = Vec::new();
        self.newlines();
        if !self.eat_op(")") {
            v = self.expr_list()?;
            self.newlines();
            self.expect_op(")")?;
        }
        (self.no_gt, self.no_in) = saved;
        Ok(v)
    }

    fn primary(&mut self) -> R<Expr> {
        self.enter()?;
        let r = self.primary_inner();
        self.depth -= 1;
        r
    }

    fn primary_inner(&mut self) -> R<Expr> {
        let Some(t) = self.peek().cloned() else {
            return syntax("unexpected end of program");
        };
        self.i += 1;
        Ok(match t {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s),
            Tok::Regex(r) => Expr::Regex(r),
            Tok::Op("$") => {
                // `$` binds tighter than everything but grouping and `++`/`--`.
                let inner = if self.eat_op("++") || self.eat_op("--") {
                    return Err(ParseError::Unmodelled("$++".into()));
                } else if self.eat_op("-") {
                    Expr::Neg(Box::new(self.primary()?))
                } else {
                    self.primary()?
                };
                Expr::Field(Box::new(inner))
            }
            Tok::Op(op @ ("++" | "--")) => {
                let target = self.primary()?;
                if !matches!(target, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                    return syntax("++/-- need a variable");
                }
                Expr::IncDec {
                    target: Box::new(target),
                    delta: if op == "++" { 1.0 } else { -1.0 },
                    prefix: true,
                }
            }
            Tok::Op("(") => {
                let saved = (self.no_gt, self.no_in);
                self.no_gt = false;
                self.no_in = false;
                let first = self.expr()?;
                let e = if self.eat_op(",") {
                    // `(a, b) in arr`, or `print (a, b)`.
                    let mut list = vec![first];
                    list.extend(self.expr_list()?);
                    self.expect_op(")")?;
                    (self.no_gt, self.no_in) = saved;
                    if self.is_kw("in") {
                        self.i += 1;
                        let name = match self.peek().cloned() {
                            Some(Tok::Name(n, _)) => n,
                            _ => return syntax("array name expected after 'in'"),
                        };
                        self.i += 1;
                        return Ok(Expr::In(list, name));
                    }
                    return Ok(Expr::List(list));
                } else {
                    self.expect_op(")")?;
                    first
                };
                (self.no_gt, self.no_in) = saved;
                Expr::Group(Box::new(e))
            }
            Tok::Op("-") => Expr::Neg(Box::new(self.unary()?)),
            Tok::Op("!") => Expr::Not(Box::new(self.unary()?)),
            Tok::Builtin(name) => {
                if self.is_op("(") {
                    Expr::Builtin(name, self.args()?)
                } else if name == "length" {
                    Expr::Builtin(name, Vec::new())
                } else {
                    return syntax(&format!("'{name}' needs arguments"));
                }
            }
            Tok::Name(name, call) => {
                if call {
                    Expr::Call(name, self.args()?)
                } else if self.eat_op("[") {
                    let idx = self.expr_list()?;
                    self.expect_op("]")?;
                    Expr::Index(name, idx)
                } else {
                    Expr::Var(name)
                }
            }
            Tok::Keyword(k) if k == "getline" => {
                return Err(ParseError::Unmodelled("getline".into()))
            }
            other => return syntax(&format!("unexpected {other:?}")),
        })
    }
}
