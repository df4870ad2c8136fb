//! The "What am I looking at?" panel: what the system, V, the normal derivative, the model and
//! the claim are, without hype.

pub const HTML: &str = r#"<summary>What am I looking at?</summary>
<p><strong>The system.</strong> Prey x multiply at rate α and are eaten at rate βxy; predators y
grow by δxy and die at rate γ: dx/dt = αx − βxy, dy/dt = δxy − γy (Lotka–Volterra). Every orbit is
a closed loop around the equilibrium (γ/δ, α/β). The populations cycle forever, and the starting
point fixes how large the cycle is.</p>
<p><strong>The conserved quantity V.</strong> V = δx − γ ln x + βy − α ln y does not change along an
orbit (dV/dt = 0), so each orbit is a level set of V, and V is smallest at the equilibrium. The
faint bands behind the dots are level sets of V. The paper calls it a Lyapunov function.</p>
<p><strong>The normal derivative ∂V/∂n.</strong> It is the slope of V straight across the orbit,
along the normal n = Jf/|f| (the velocity turned by a right angle). Where it is small, V is flat:
a nudge across the orbit changes V only a little. For this system ∂V/∂n = |∇V|. It is largest near
the axes, where a population is close to zero.</p>
<p><strong>The data and the model.</strong> N points are sampled along one orbit and Gaussian noise σ
is added. The paper's model gives every noisy point a score w·x̃ + b, turns the scores into
attention weights with a softmax over time, and rebuilds the orbit as r_t = N·a_t·x̃_t. Adam
adjusts w and b to make r close to the clean orbit. Uniform attention (every a_t = 1/N) simply
returns the noisy data.</p>
<p><strong>The claim being tested.</strong> The paper reports that training puts high attention
where V is flat and low attention where it is steep. The lab measures this on the current run.
Pearson r and Spearman ρ between attention and ∂V/∂n are negative when the claim holds. The peak
offset is how far apart in time the attention peak and the ∂V/∂n minimum are. The verdict line
puts those numbers into words.</p>
<p><strong>Other systems.</strong> The system menu adds the frictionless pendulum (its energy H is
the V), the Van der Pol oscillator (a limit cycle, no V), the Goodwin circadian clock (3 variables)
and the chaotic Lorenz and Rössler attractors. 3-variable systems are drawn as a chosen pair of
coordinates ("plot"). Where there is no V, ∂V/∂n does not exist, and attention is compared with a
measure that exists for every system.</p>
<p><strong>FTLE and normal growth.</strong> The finite-time Lyapunov exponent is
(1/τ) ln σ<sub>max</sub> Φ(t, t+τ), where Φ carries small perturbations along the clean orbit for a
horizon τ (it solves the tangent-linear equations). High FTLE: nearby trajectories separate fast,
the future is hard to predict from here. Normal growth (2-D systems) is the growth rate of a kick
across the orbit, measured across the orbit where it lands. For both, as for ∂V/∂n, negative r and
ρ mean attention is higher where the dynamics are calm.</p>
<p><strong>Other models.</strong> <em>self-attention</em> is a small multi-head Transformer-style
denoiser: each point attends to its neighbours within ±W samples, and the colour shows the
attention each point <em>receives</em>, averaged over heads (or one head, with "colour by").
<em>oracle-inverse-variance</em> is not learned: it weights each point by 1/|∇V|², the best
weighting for estimating V from noisy points, to show what attention that knows the geometry
looks like.</p>
<p><strong>Before you conclude.</strong> This model can only make attention an exponential of a
linear function of the noisy state, a_t ∝ exp(w·x̃_t). With small w the attention is nearly
uniform, so check max/min and the effective sample size (ESS) before reading much into r. And one
noise draw is one sample: press New noise a few times, or read FINDINGS.md for the claim over
many seeds and noise levels.</p>"#;
